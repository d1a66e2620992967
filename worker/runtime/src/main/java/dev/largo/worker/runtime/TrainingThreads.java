package dev.largo.worker.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Makes a thread fit to run the engine. PyTorch's grad mode is per thread and on by default; DJL switches it
 * off only on the thread that loads the engine and expects it off everywhere outside a gradient collector
 * (in-place optimizer updates of parameters that require gradients are refused otherwise, and evaluation
 * would record graphs). The worker trains on threads of its own, so each switches it off before its first job.
 */
final class TrainingThreads {

    private TrainingThreads() {
    }

    static void prepareCurrentThread() {
        Engine.getInstance();
        JniUtils.setGradMode(false);
    }
}
