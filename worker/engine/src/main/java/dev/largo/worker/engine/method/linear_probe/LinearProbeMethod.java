package dev.largo.worker.engine.method.linear_probe;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** The head alone on the frozen base model (worker/engine/docs/largo.md §3). */
public final class LinearProbeMethod implements SingleTaskMethod {

    public static final String ID = "linear_probe";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean continual() {
        return false;
    }

    @Override
    public LoraInit loraInit() {
        return null;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.head(model);
    }
}
