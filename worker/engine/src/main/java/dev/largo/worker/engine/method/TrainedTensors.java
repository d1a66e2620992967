package dev.largo.worker.engine.method;

import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.method.lora.LoraLinear;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tensors a method trains, in model order (the optimizer and checkpoints see them in a stable order), and
 * those the regulated projection constrains (never the head).
 */
public record TrainedTensors(List<String> trainable, Set<String> regulated) {

    public TrainedTensors {
        trainable = List.copyOf(trainable);
        regulated = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(regulated));
    }

    /** The head alone. */
    public static TrainedTensors head(Classifier model) {
        return inModelOrder(model, model.headTensors(), Set.of());
    }

    /** Every tensor of the model; the pretrained ones regulated when {@code regulate}. */
    public static TrainedTensors allWeights(Classifier model, boolean regulate) {
        Set<String> regulated = new LinkedHashSet<>();
        if (regulate) {
            model.tensors().keySet().stream().filter(name -> !model.headTensors().contains(name)).forEach(regulated::add);
        }
        return inModelOrder(model, model.tensors().keySet(), regulated);
    }

    /** The adapters' A and B and the head; A and B regulated when {@code regulate}. */
    public static TrainedTensors adapters(Classifier model, Map<String, LoraLinear> adapters, boolean regulate) {
        List<String> names = new ArrayList<>();
        for (String path : adapters.keySet()) {
            names.add(path + ".lora_A");
            names.add(path + ".lora_B");
        }
        Set<String> regulated = regulate ? new LinkedHashSet<>(names) : Set.of();
        names.addAll(model.headTensors());
        return inModelOrder(model, names, regulated);
    }

    private static TrainedTensors inModelOrder(Classifier model, java.util.Collection<String> names,
                                               Set<String> regulated) {
        List<String> ordered = new ArrayList<>();
        for (String name : model.tensors().keySet()) {
            if (names.contains(name)) {
                ordered.add(name);
            }
        }
        return new TrainedTensors(ordered, regulated);
    }
}
