package dev.largo.worker.engine.method.lora;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** LoRA: adapters A, B (gaussian init) and the head; in a continual job, one adapter trained on and on. */
public final class LoraMethod implements SingleTaskMethod {

    public static final String ID = "lora";

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
        return LoraInit.GAUSSIAN;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.adapters(model, adapters, false);
    }
}
