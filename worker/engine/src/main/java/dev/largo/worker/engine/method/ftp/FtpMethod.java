package dev.largo.worker.engine.method.ftp;

import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.TrainedTensors;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.peft.LoraInit;
import dev.largo.worker.engine.peft.LoraLinear;
import java.util.Map;

/** Every weight and the head, the regulated projection on every pretrained tensor (FTP; worker/engine/docs/largo.md §2). */
public final class FtpMethod implements SingleTaskMethod {

    public static final String ID = "ftp";

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
    public boolean projected() {
        return true;
    }

    @Override
    public boolean trainsBaseWeights() {
        return true;
    }

    @Override
    public TrainedTensors select(ImageClassifier model, Map<String, LoraLinear> adapters) {
        return TrainedTensors.allWeights(model, true);
    }
}
