package dev.largo.service.models;

import java.util.stream.Stream;

import dev.largo.service.uploads.SpooledUpload;

/**
 * The files of one base model as they arrived, spooled: {@code config.json} (small, as text), the weights, and
 * for a text model its {@code tokenizer.json} and optional {@code tokenizer_config.json}. Closing it deletes the
 * spooled files.
 *
 * @param tokenizer null for an image model (and for a text model without one, which inspection refuses)
 * @param tokenizerConfig null when none was given
 */
public record ModelParts(String configJson, SpooledUpload weights, SpooledUpload tokenizer,
        SpooledUpload tokenizerConfig) implements AutoCloseable {

    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** An image model: config and weights only. */
    public static ModelParts of(String configJson, SpooledUpload weights) {
        return new ModelParts(configJson, weights, null, null);
    }

    /** The checksums of the optional parts, for the request fingerprint ({@code -} when absent). */
    String tokenizerSha256s() {
        return (tokenizer == null ? "-" : tokenizer.sha256()) + "/"
                + (tokenizerConfig == null ? "-" : tokenizerConfig.sha256());
    }

    @Override
    public void close() {
        Stream.of(weights, tokenizer, tokenizerConfig).filter(part -> part != null).forEach(SpooledUpload::close);
    }
}
