package dev.largo.worker.fashion;

/** How the fashion-shift commands start DJL: offline, with a chosen number of libtorch threads. */
public final class OfflineEngine {

    private OfflineEngine() {
    }

    /**
     * Offline DJL with {@code threads} intra-op threads and one inter-op thread. libtorch reads its thread
     * counts once, when the engine first starts: call before any tensor exists.
     */
    public static void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
}
