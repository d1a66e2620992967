package dev.largo.worker.engine.method.joint;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.peft.LoraInit;

/**
 * The multi-task upper bound of a continual job: LoRA with its defaults, trained once on every task's data
 * (worker/engine/docs/gorp.md §4). Continual only, and it takes no settings.
 */
public final class JointMethod implements Method {

    public static final String ID = "joint";

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
