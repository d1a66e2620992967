package dev.largo.worker.engine.train;

/** The run stopped because cancellation was requested; thrown between steps, so state is consistent. */
public class TrainingCancelledException extends RuntimeException {

    private final long step;

    public TrainingCancelledException(long step) {
        super("training cancelled after step " + step);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
