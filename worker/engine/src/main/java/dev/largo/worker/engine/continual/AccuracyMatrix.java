package dev.largo.worker.engine.continual;

import java.util.List;

/**
 * The continual accuracy matrix (worker/engine/docs/gorp.md): {@code accuracy[j][i]} is the accuracy on task i after training
 * task j (rows: the tasks trained so far; columns: every task of the job). Entries never measured are NaN
 * (joint trains once, so only its last row is filled).
 */
public record AccuracyMatrix(List<String> taskNames, double[][] accuracy) {

    public AccuracyMatrix {
        taskNames = List.copyOf(taskNames);
        double[][] copy = new double[accuracy.length][];
        for (int j = 0; j < accuracy.length; j++) {
            if (accuracy[j].length != taskNames.size()) {
                throw new IllegalArgumentException("row " + j + " has " + accuracy[j].length + " entries for "
                        + taskNames.size() + " tasks");
            }
            copy[j] = accuracy[j].clone();
        }
        accuracy = copy;
    }

    /** Rows available. */
    public int rows() {
        return accuracy.length;
    }

    /** AA = mean_i a[N][i] over the tasks seen so far (N: the last row); NaN with no row. */
    public double averageAccuracy() {
        int last = accuracy.length - 1;
        if (last < 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i <= last; i++) {
            sum += accuracy[last][i];
        }
        return sum / (last + 1);
    }

    /** BWT = mean_{i<N} (a[N][i] - a[i][i]); NaN with fewer than two rows or a diagonal never measured. */
    public double backwardTransfer() {
        int last = accuracy.length - 1;
        if (last < 1) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < last; i++) {
            sum += accuracy[last][i] - accuracy[i][i];
        }
        return sum / last;
    }
}
