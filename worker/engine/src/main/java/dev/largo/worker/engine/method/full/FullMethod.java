package dev.largo.worker.engine.method.full;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** Every weight and the head, unconstrained; in a continual job, trained on task after task. */
public final class FullMethod implements SingleTaskMethod {

    public static final String ID = "full";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean continual() {
        return true;
    }

    @Override
    public LoraInit loraInit() {
        return null;
    }

    @Override
    public boolean trainsBaseWeights() {
        return true;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.allWeights(model, false);
    }
}
