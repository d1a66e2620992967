package dev.largo.worker.engine.model.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.model.Architecture;
import dev.largo.worker.engine.model.ConfigFields;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.method.lora.LoraConfig;
import java.util.List;
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
    public Classifier create(ModelConfig config, Map<String, NDArray> tensors, long seed, NDManager parent) {
        return new VitClassifier((VitConfig) config, tensors, parent);
    }

    @Override
    public List<String> defaultLoraTargets() {
        return LoraConfig.DEFAULT_TARGETS;
    }

    @Override
    public ModelInputs inputs(ModelConfig config, InputSettings settings) {
        return ImageBatcher.of(config, settings.imageMean(), settings.imageStd());
    }
}
