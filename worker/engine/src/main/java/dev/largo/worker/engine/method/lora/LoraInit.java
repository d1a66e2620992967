package dev.largo.worker.engine.method.lora;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a LoRA adapter starts (worker/engine/docs/largo.md §1). */
public enum LoraInit {
    /** Plain LoRA: A Kaiming-uniform, B = 0, W_res = W0, s = alpha / r. */
    GAUSSIAN("gaussian"),
    /** PiSSA: A0, B0 from the r largest singular triplets of W0, s = 1, W_res = W0 - B0 A0. */
    SVD_PRINCIPAL("svd_principal"),
    /** MiLoRA: the same over the r smallest singular triplets. */
    SVD_MINOR("svd_minor");

    private final String id;

    LoraInit(String id) {
        this.id = id;
    }

    /** The name used in job files, the REST API and adapter_config.json. */
    public String id() {
        return id;
    }

    public boolean isSvd() {
        return this != GAUSSIAN;
    }

    public static LoraInit fromId(String id) {
        for (LoraInit init : values()) {
            if (init.id.equals(id)) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown LoRA init \"" + id + "\" (supported: "
                + Arrays.stream(values()).map(LoraInit::id).collect(Collectors.joining(", ")) + ")");
    }
}
