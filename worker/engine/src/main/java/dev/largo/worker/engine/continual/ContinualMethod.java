package dev.largo.worker.engine.continual;

import dev.largo.worker.engine.method.MethodRegistry;
import dev.largo.worker.engine.train.MethodType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The continual methods (worker/engine/docs/gorp.md): {@code gorp}, and the baselines on the same sequence: sequential
 * {@code lora} (one adapter trained on and on), {@code full} and {@code largo}, and {@code joint}, the
 * multi-task upper bound (every task's data at once, LoRA with the lora baseline's settings).
 */
public enum ContinualMethod {
    GORP("gorp", null),
    LORA("lora", MethodType.LORA),
    FULL("full", MethodType.FULL),
    LARGO("largo", MethodType.LARGO),
    JOINT("joint", MethodType.LORA);

    private final String id;
    private final MethodType singleTaskType;

    ContinualMethod(String id, MethodType singleTaskType) {
        this.id = id;
        this.singleTaskType = singleTaskType;
    }

    public String id() {
        return id;
    }

    /** The single-task method a baseline trains each task with (worker/engine/docs/largo.md §3 defaults); null for gorp. */
    public MethodType singleTaskType() {
        return singleTaskType;
    }

    /** The learning rate worker/engine/docs/largo.md gives the method's trained tensors (gorp: its adapters' rate). */
    public double defaultLearningRate() {
        return MethodRegistry.get(id).defaultLearningRate();
    }

    public static ContinualMethod fromId(String id) {
        for (ContinualMethod method : values()) {
            if (method.id.equals(id)) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown continual method \"" + id + "\" (supported: "
                + Arrays.stream(values()).map(ContinualMethod::id).collect(Collectors.joining(", ")) + ")");
    }
}
