package dev.largo.worker.engine.method.gorp;

import ai.djl.ndarray.NDArray;

/**
 * The projections of GORP's update (worker/engine/docs/gorp.md), on arrays of one step scope. A weight gradient G is m x n.
 * When m >= n GaLore keeps the top-k RIGHT singular vectors Q (k x n) and compresses G~ = G Q^T (m x k); the
 * shared space then lives on the m (output) side. When m < n it keeps the LEFT ones P (m x k), G~ = P^T G
 * (k x n), and the shared space lives on the n side: always the side that is not compressed, whose
 * coordinates keep their meaning when Q changes.
 */
public final class GradientProjection {

    private GradientProjection() {
    }

    /** Whether GaLore projects on the right (m >= n) for a weight of this shape. */
    public static boolean projectsRight(long rows, long cols) {
        return rows >= cols;
    }

    /** The dimension of the side the shared space of a full-rank weight lives on. */
    public static int sharedDimension(long rows, long cols) {
        return (int) (projectsRight(rows, cols) ? rows : cols);
    }

    /** G~ = G Q^T (right, Q k x n) or P^T G (left, P m x k). */
    public static NDArray compress(NDArray gradient, NDArray projector, boolean right) {
        return right ? gradient.matMul(projector.transpose()) : projector.transpose().matMul(gradient);
    }

    /** The full-size update from a compressed direction N: N Q (right) or P N (left). */
    public static NDArray expand(NDArray direction, NDArray projector, boolean right) {
        return right ? direction.matMul(projector) : projector.matMul(direction);
    }

    /**
     * Removes the shared directions from a compressed gradient: G~ - S S^T G~ when the space lives on the rows
     * (right projection), G~ - G~ S S^T when on the columns (left projection).
     */
    public static NDArray removeShared(NDArray compressed, NDArray basis, boolean onRows) {
        return compressed.sub(sharedComponent(compressed, basis, onRows));
    }

    /** S S^T X (rows) or X S S^T (columns): the part of X inside the shared space. */
    public static NDArray sharedComponent(NDArray x, NDArray basis, boolean onRows) {
        return onRows ? basis.matMul(basis.transpose().matMul(x)) : x.matMul(basis).matMul(basis.transpose());
    }
}
