package dev.largo.worker.engine.model.mlp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.ImageArchitecture;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ModelConfig;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** This project's small MLP image classifier (tests and quick experiments; no Hugging Face counterpart). */
public final class MlpArchitecture extends ImageArchitecture {

    /** {@code model_type} of the MLP classifier. */
    public static final String MODEL_TYPE = "largo_mlp";

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public ModelConfig parse(ObjectNode raw, ConfigFields fields) {
        return MlpConfig.from(raw, fields);
    }

    @Override
    public Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent) {
        return new MlpClassifier((MlpConfig) config, tensors, parent);
    }
}
