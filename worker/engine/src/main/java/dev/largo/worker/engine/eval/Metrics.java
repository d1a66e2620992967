package dev.largo.worker.engine.eval;

import ai.djl.ndarray.NDArray;

/**
 * Accumulates accuracy, mean cross-entropy and expected calibration error over batches of logits
 * (N x K) and integer labels. ECE follows Guo et al. (2017): confidences (max softmax probability) fall
 * in bins ((m-1)/M, m/M], and ECE = sum_m |B_m| / n * |accuracy(B_m) - mean confidence(B_m)|.
 * Arithmetic is in double precision on the host; one device-to-host transfer per batch.
 */
public final class Metrics {

    public static final int ECE_BINS = 15;

    private long count;
    private long correct;
    private double lossSum;
    private final long[] binCount = new long[ECE_BINS];
    private final long[] binCorrect = new long[ECE_BINS];
    private final double[] binConfidence = new double[ECE_BINS];

    /** Adds a batch: {@code logits} [N, K] float, {@code labels} [N] integer. */
    public void add(NDArray logits, NDArray labels) {
        long[] shape = logits.getShape().getShape();
        if (shape.length != 2 || labels.getShape().getShape().length != 1 || labels.size() != shape[0]) {
            throw new IllegalArgumentException("need logits [N, K] and labels [N], got " + logits.getShape()
                    + " and " + labels.getShape());
        }
        add(logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray(), (int) shape[1],
                labels.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray());
    }

    /** Adds a batch given as row-major logits with {@code classes} columns. */
    public void add(float[] logits, int classes, long[] labels) {
        if (classes <= 0 || logits.length != (long) labels.length * classes) {
            throw new IllegalArgumentException(logits.length + " logits for " + labels.length + " labels of "
                    + classes + " classes");
        }
        for (int i = 0; i < labels.length; i++) {
            int offset = i * classes;
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " outside [0, "
                        + classes + ")");
            }
            int best = 0;
            double max = logits[offset];
            for (int k = 1; k < classes; k++) {
                if (logits[offset + k] > max) {
                    max = logits[offset + k];
                    best = k;
                }
            }
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                sumExp += Math.exp(logits[offset + k] - max);
            }
            double logSumExp = max + Math.log(sumExp);
            lossSum += logSumExp - logits[offset + (int) labels[i]];
            boolean hit = best == labels[i];
            double confidence = 1.0 / sumExp; // softmax of the arg-max: exp(max - max) / sum
            int bin = Math.min(ECE_BINS - 1, Math.max(0, (int) Math.ceil(confidence * ECE_BINS) - 1));
            binCount[bin]++;
            binConfidence[bin] += confidence;
            if (hit) {
                correct++;
                binCorrect[bin]++;
            }
            count++;
        }
    }

    public long count() {
        return count;
    }

    public SplitMetrics result() {
        if (count == 0) {
            return new SplitMetrics(0, Double.NaN, Double.NaN, Double.NaN);
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (binCount[b] > 0) {
                double gap = Math.abs((double) binCorrect[b] / binCount[b] - binConfidence[b] / binCount[b]);
                ece += (double) binCount[b] / count * gap;
            }
        }
        return new SplitMetrics(count, (double) correct / count, lossSum / count, ece);
    }

    /** Metrics of one batch of logits and labels. */
    public static SplitMetrics of(NDArray logits, NDArray labels) {
        Metrics metrics = new Metrics();
        metrics.add(logits, labels);
        return metrics.result();
    }
}
