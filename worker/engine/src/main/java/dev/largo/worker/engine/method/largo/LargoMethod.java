package dev.largo.worker.engine.method.largo;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** LARGO: SVD-started adapters held near their start by the regulated projection (worker/engine/docs/largo.md §2). */
public final class LargoMethod implements SingleTaskMethod {

    public static final String ID = "largo";

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
        return LoraInit.SVD_PRINCIPAL;
    }

    @Override
    public boolean initConfigurable() {
        return true;
    }

    @Override
    public boolean projected() {
        return true;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.adapters(model, adapters, true);
    }
}
