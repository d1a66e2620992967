package dev.largo.worker.engine.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ImageArchitecture;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Hugging Face's {@code ViTForImageClassification}. */
public final class VitArchitecture extends ImageArchitecture {

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
    public Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent) {
        return new VitClassifier((VitConfig) config, tensors, parent);
    }
}
