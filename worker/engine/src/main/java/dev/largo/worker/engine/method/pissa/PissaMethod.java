package dev.largo.worker.engine.method.pissa;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** PiSSA: LoRA started from the principal singular triplets of each weight (worker/engine/docs/largo.md §1). */
public final class PissaMethod implements SingleTaskMethod {

    public static final String ID = "pissa";

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
        return LoraInit.SVD_PRINCIPAL;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.adapters(model, adapters, false);
    }
}
