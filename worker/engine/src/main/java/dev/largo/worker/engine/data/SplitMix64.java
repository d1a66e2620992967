package dev.largo.worker.engine.data;

/**
 * A small, fast pseudo-random generator (Steele, Lea and Flood's SplitMix64) whose whole state is one
 * long, so a training run can store it in a checkpoint and continue the identical sequence.
 * {@link java.util.SplittableRandom} uses the same mixing but cannot export its state.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public SplitMix64(long state) {
        this.state = state;
    }

    /** A generator for item {@code index} of a run seeded with {@code seed}, independent of other items. */
    public static SplitMix64 forItem(long seed, long index) {
        return new SplitMix64(mix(seed ^ mix(index + GOLDEN_GAMMA)));
    }

    /** The current state; {@code new SplitMix64(state())} continues the same sequence. */
    public long state() {
        return state;
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in {@code [0, bound)}, unbiased (rejection sampling). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        // 63-bit draws; reject the top partial range so every residue is equally likely
        // (the algorithm of java.util.SplittableRandom).
        long m = bound - 1L;
        long r = nextLong() >>> 1;
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // retry
        }
        return (int) r;
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal by Box-Muller. Uses two uniforms per call and keeps no cached second value, so
     * the state stays a single long.
     */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // in (0, 1], so log is finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fisher-Yates shuffle of {@code values} in place. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
