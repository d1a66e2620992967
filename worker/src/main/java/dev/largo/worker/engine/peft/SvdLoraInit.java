package dev.largo.worker.engine.peft;

import ai.djl.ndarray.NDManager;

/** SVD-based LoRA inits (PiSSA / MiLoRA); needs linalg.Svd from the data branch. */
final class SvdLoraInit {

    private SvdLoraInit() {
    }

    static LoraLinear create(LinearOp base, LoraConfig config, long seed, String path, NDManager manager) {
        throw new UnsupportedOperationException("SVD inits are not wired yet (waiting for linalg.Svd)");
    }
}
