package dev.largo.worker.engine.train;

import dev.largo.worker.engine.peft.LoraInit;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The fine-tuning methods of worker/engine/docs/largo.md §3, one per {@code method.type}. */
public enum MethodType {
    /** Head only. */
    LINEAR_PROBE("linear_probe", false, null, false),
    /** All weights and the head, unconstrained. */
    FULL("full", false, null, false),
    /** All weights and the head; the regulated projection on every pretrained tensor, not the head. */
    FTP("ftp", false, null, true),
    /** LoRA A, B and the head; gaussian init. */
    LORA("lora", true, LoraInit.GAUSSIAN, false),
    /** LoRA A, B and the head; svd_principal init. */
    PISSA("pissa", true, LoraInit.SVD_PRINCIPAL, false),
    /** LoRA A, B and the head; svd_principal init by default (configurable); the projection on A and B. */
    LARGO("largo", true, LoraInit.SVD_PRINCIPAL, true);

    /** worker/engine/docs/largo.md §3 defaults: AdamW lr 1e-3 for adapters and the linear probe, 1e-4 when all weights train. */
    public static final double ADAPTER_LEARNING_RATE = 1e-3;
    public static final double FULL_LEARNING_RATE = 1e-4;

    private final String id;
    private final boolean lora;
    private final LoraInit defaultInit;
    private final boolean projected;

    MethodType(String id, boolean lora, LoraInit defaultInit, boolean projected) {
        this.id = id;
        this.lora = lora;
        this.defaultInit = defaultInit;
        this.projected = projected;
    }

    public String id() {
        return id;
    }

    /** Whether the method trains LoRA adapters (and not the base weights). */
    public boolean usesLora() {
        return lora;
    }

    /** The init the table prescribes; null for methods without LoRA. */
    public LoraInit defaultInit() {
        return defaultInit;
    }

    /** Whether only {@link #LARGO} may change the init (the other LoRA methods are defined by theirs). */
    public boolean initConfigurable() {
        return this == LARGO;
    }

    /** Whether the regulated projection wraps the optimizer. */
    public boolean projected() {
        return projected;
    }

    /** Whether the base model's own weights train. */
    public boolean trainsBaseWeights() {
        return this == FULL || this == FTP;
    }

    public double defaultLearningRate() {
        return trainsBaseWeights() ? FULL_LEARNING_RATE : ADAPTER_LEARNING_RATE;
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
