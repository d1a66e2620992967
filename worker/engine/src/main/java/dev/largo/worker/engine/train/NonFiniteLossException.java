package dev.largo.worker.engine.train;

/**
 * The run diverged: the training loss or the gradient norm became NaN or infinite, so the next update would
 * poison the weights. The run cannot continue (a lower learning rate usually helps).
 */
public class NonFiniteLossException extends RuntimeException {

    private final long step;
    private final int epoch;

    /**
     * @param quantity what became non-finite ("training loss", "gradient norm")
     */
    public NonFiniteLossException(String quantity, double value, long step, int epoch) {
        super(quantity + " is " + value + " at step " + step + " (epoch " + epoch
                + "); the run diverged, try a lower learning_rate");
        this.step = step;
        this.epoch = epoch;
    }

    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }
}
