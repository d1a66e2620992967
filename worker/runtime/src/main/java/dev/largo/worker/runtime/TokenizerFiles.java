package dev.largo.worker.runtime;

import dev.largo.worker.engine.model.bert.BertModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A text model's tokenizer files, copied from the staged base model's folder into a merged model's folder before it
 * is zipped: the merged download is then the complete Hugging Face folder {@code from_pretrained} and
 * {@code AutoTokenizer} load. (The engine writes the weights and config; the model it trains does not hold the
 * tokenizer's files.) An image model has none, and nothing is copied.
 */
final class TokenizerFiles {

    static final List<String> NAMES = List.of(BertModels.TOKENIZER, BertModels.TOKENIZER_CONFIG);

    private TokenizerFiles() {
    }

    static void copy(Path stagedModel, Path mergedFolder) {
        try {
            for (String name : NAMES) {
                Path file = stagedModel.resolve(name);
                if (Files.isRegularFile(file)) {
                    Files.copy(file, mergedFolder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the tokenizer into the merged model " + mergedFolder, e);
        }
    }
}
