package dev.largo.worker.engine.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.Architecture;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Hugging Face's {@code ViTForImageClassification}. */
public final class VitArchitecture implements Architecture {

    /** {@code model_type} of the Hugging Face ViT. */
    public static final String MODEL_TYPE = "vit";

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public ModelConfig parse(ObjectNode raw, ConfigFields fields) {
        return VitConfig.from(raw, fields);
    }

    @Override
    public ImageClassifier create(ModelConfig config, Map<String, NDArray> tensors, NDManager parent) {
        return new VitClassifier((VitConfig) config, tensors, parent);
    }
}
