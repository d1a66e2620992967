package dev.largo.worker.engine.method;

import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.method.lora.LoraLinear;
import java.util.Map;

/** A method a single-task job trains with (the continual harness reuses them as its sequential baselines). */
public interface SingleTaskMethod extends Method {

    /**
     * What a single-task run of the method trains and regulates, on a model whose task head and adapters (if any)
     * are in place.
     *
     * @param adapters the injected LoRA layers by module path (empty for methods without adapters)
     */
    TrainedTensors select(Classifier model, Map<String, LoraLinear> adapters);

    /** What {@link #select} answers, as a function of the model and its adapters. */
    interface Selection {
        TrainedTensors select(Classifier model, Map<String, LoraLinear> adapters);
    }

    static SingleTaskMethod of(Traits traits, Selection selection) {
        return new SingleTaskMethod() {
            @Override
            public Traits traits() {
                return traits;
            }

            @Override
            public TrainedTensors select(Classifier model, Map<String, LoraLinear> adapters) {
                return selection.select(model, adapters);
            }
        };
    }
}
