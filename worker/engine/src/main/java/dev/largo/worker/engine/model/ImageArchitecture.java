package dev.largo.worker.engine.model;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ModelInputs;
import java.util.List;

/**
 * What the image architectures ({@code vit}, {@code mlp}) share: examples are pixels normalised with the model's
 * mean and std, and LoRA targets by default every attention and MLP linear by its Hugging Face name.
 */
public abstract class ImageArchitecture implements Architecture {

    /** All attention and MLP linears of a ViT ("dense" covers attention.output, intermediate and output). */
    public static final List<String> DEFAULT_LORA_TARGETS = List.of("query", "key", "value", "dense");

    @Override
    public List<String> defaultLoraTargets() {
        return DEFAULT_LORA_TARGETS;
    }

    @Override
    public ModelInputs inputs(ModelConfig config, InputSettings settings) {
        return ImageBatcher.of(config, settings.imageMean(), settings.imageStd());
    }
}
