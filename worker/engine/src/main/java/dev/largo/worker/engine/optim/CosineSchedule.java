package dev.largo.worker.engine.optim;

/**
 * Linear warm-up then cosine decay to {@code minRatio * baseLr} at the last step. Steps are counted
 * from 0 (the step about to be taken). Unlike Hugging Face's schedule, the first warm-up step already
 * uses {@code baseLr / warmupSteps} instead of 0, so no step is wasted.
 */
public record CosineSchedule(float baseLr, long warmupSteps, long totalSteps, float minRatio) {

    public CosineSchedule {
        if (!(baseLr >= 0) || warmupSteps < 0 || totalSteps <= 0 || !(minRatio >= 0 && minRatio <= 1)) {
            throw new IllegalArgumentException("bad schedule: lr " + baseLr + ", warm-up " + warmupSteps
                    + ", total " + totalSteps + ", min ratio " + minRatio);
        }
    }

    public float lr(long step) {
        if (step < warmupSteps) {
            return baseLr * (step + 1) / warmupSteps;
        }
        long decaySteps = Math.max(1, totalSteps - warmupSteps - 1);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return (float) (baseLr * (minRatio + (1 - minRatio) * cosine));
    }
}
