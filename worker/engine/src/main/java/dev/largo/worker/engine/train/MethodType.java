package dev.largo.worker.engine.train;

import dev.largo.worker.engine.method.Method;
import dev.largo.worker.engine.method.MethodRegistry;
import dev.largo.worker.engine.method.SingleTaskMethod;
import dev.largo.worker.engine.method.ftp.FtpMethod;
import dev.largo.worker.engine.method.full.FullMethod;
import dev.largo.worker.engine.method.largo.LargoMethod;
import dev.largo.worker.engine.method.linear_probe.LinearProbeMethod;
import dev.largo.worker.engine.method.lora.LoraMethod;
import dev.largo.worker.engine.method.pissa.PissaMethod;
import dev.largo.worker.engine.method.lora.LoraInit;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The single-task methods of worker/engine/docs/largo.md §3, one per {@code method.type}: the engine's typed key
 * into {@link MethodRegistry}, where each method's package answers for its defaults and what it trains.
 */
public enum MethodType {
    /** Head only. */
    LINEAR_PROBE(LinearProbeMethod.ID),
    /** All weights and the head, unconstrained. */
    FULL(FullMethod.ID),
    /** All weights and the head; the regulated projection on every pretrained tensor, not the head. */
    FTP(FtpMethod.ID),
    /** LoRA A, B and the head; gaussian init. */
    LORA(LoraMethod.ID),
    /** LoRA A, B and the head; svd_principal init. */
    PISSA(PissaMethod.ID),
    /** LoRA A, B and the head; svd_principal init by default (configurable); the projection on A and B. */
    LARGO(LargoMethod.ID);

    public static final double ADAPTER_LEARNING_RATE = Method.ADAPTER_LEARNING_RATE;
    public static final double FULL_LEARNING_RATE = Method.FULL_LEARNING_RATE;

    private final String id;

    MethodType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The method's package: its defaults and what it trains. */
    public SingleTaskMethod method() {
        return (SingleTaskMethod) MethodRegistry.get(id);
    }

    /** Whether the method trains LoRA adapters (and not the base weights). */
    public boolean usesLora() {
        return method().traits().loraInit() != null;
    }

    /** The init the method prescribes; null for methods without LoRA. */
    public LoraInit defaultInit() {
        return method().traits().loraInit();
    }

    /** Whether the init may be changed (largo); the other LoRA methods are defined by theirs. */
    public boolean initConfigurable() {
        return method().traits().initConfigurable();
    }

    /** Whether the regulated projection wraps the optimizer. */
    public boolean projected() {
        return method().traits().projected();
    }

    /** Whether the base model's own weights train. */
    public boolean trainsBaseWeights() {
        return method().traits().trainsBaseWeights();
    }

    public double defaultLearningRate() {
        return method().defaultLearningRate();
    }

    public static MethodType fromId(String id) {
        for (MethodType type : values()) {
            if (type.id.equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown method.type \"" + id + "\" (supported: "
                + Arrays.stream(values()).map(MethodType::id).collect(Collectors.joining(", ")) + ")");
    }
}
