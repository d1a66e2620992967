package dev.largo.worker.engine.reference;

/**
 * Frozen features of a set of examples: {@code rows} x {@code dim}, row-major, with each row's class.
 *
 * @param values rows x dim, row-major
 * @param labels the class of each row, in [0, classes)
 */
public record FeatureMatrix(int rows, int dim, double[] values, int[] labels) {

    public FeatureMatrix {
        if (rows < 1 || dim < 1 || values.length != (long) rows * dim || labels.length != rows) {
            throw new IllegalArgumentException(values.length + " values and " + labels.length + " labels for "
                    + rows + " x " + dim + " features");
        }
    }
}
