package dev.largo.worker.engine.train;

import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.method.lora.LoraInjector;
import dev.largo.worker.engine.method.lora.LoraLinear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model made ready for a method (worker/engine/docs/largo.md §3): LoRA layers injected for adapter methods, and the
 * names of what trains and what the projection regulates.
 *
 * @param loraLayers injected LoRA layers by module path (empty for full, ftp, linear_probe)
 * @param trainable what the method trains, in model order
 * @param head the task head's tensors and any other newly initialised ones ({@link Classifier#headTensors()}:
 *     what the head warm-up trains)
 * @param regulated the tensors the regulated projection constrains (A and B for largo, every pretrained
 *     tensor for ftp; never the head)
 */
public record PreparedMethod(Map<String, LoraLinear> loraLayers, List<String> trainable, List<String> head,
                             Set<String> regulated) {


    public PreparedMethod {
        loraLayers = Collections.unmodifiableMap(new LinkedHashMap<>(loraLayers));
        trainable = List.copyOf(trainable);
        head = List.copyOf(head);
        regulated = Collections.unmodifiableSet(new LinkedHashSet<>(regulated));
    }

    /**
     * Injects adapters as the method prescribes. The model's head must already be the task head.
     *
     * @param seed the run seed (LoRA inits draw from streams derived from it)
     */
    public static PreparedMethod prepare(Classifier model, MethodConfig method, long seed) {
        return prepare(model, method, seed, null);
    }

    /**
     * As {@link #prepare(Classifier, MethodConfig, long)}; when resuming, SVD inits rebuild their layers
     * from the checkpoint's stored factors, so W_res is bit-identical to the interrupted run's.
     */
    public static PreparedMethod prepare(Classifier model, MethodConfig method, long seed, Checkpoint.Data resume) {
        Map<String, LoraLinear> layers = method.type().usesLora()
                ? LoraInjector.inject(model, method.lora(), seed, resume == null ? Map.of() : resume.loraInit())
                : Map.of();
        return describe(model, method.type(), layers);
    }

    /** The names for a model whose adapters (if any) are already in place: what the method's package selects. */
    public static PreparedMethod describe(Classifier model, MethodType type, Map<String, LoraLinear> layers) {
        TrainedTensors tensors = type.method().select(model, layers);
        return new PreparedMethod(layers, tensors.trainable(), model.headTensors(), tensors.regulated());
    }
}
