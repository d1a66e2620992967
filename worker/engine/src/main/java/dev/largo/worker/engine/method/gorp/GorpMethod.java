package dev.largo.worker.engine.method.gorp;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.peft.LoraInit;

/**
 * GORP, continual only: its expanding LoRA and full-rank part are set in {@code method.gorp}
 * ({@link dev.largo.worker.engine.gorp.GorpConfig}; worker/engine/docs/gorp.md), not in {@code method.lora}. Its
 * default rate is the adapters' (the full-rank part takes the job's rate unless set apart).
 */
public final class GorpMethod implements Method {

    public static final String ID = "gorp";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public boolean singleTask() {
        return false;
    }

    @Override
    public boolean continual() {
        return true;
    }

    @Override
    public LoraInit loraInit() {
        return null;
    }
}
