package dev.largo.worker.engine.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AccuracyMatrixTest {

    @Test
    void averageAccuracyAndBackwardTransferFollowGorpMd() {
        AccuracyMatrix matrix = new AccuracyMatrix(List.of("a", "b", "c"), new double[][] {
                {0.9, 0.2, 0.1},
                {0.7, 0.8, 0.3},
                {0.6, 0.75, 0.85}});
        assertThat(matrix.averageAccuracy()).isCloseTo((0.6 + 0.75 + 0.85) / 3, within(1e-15));
        // BWT = mean over i < N of a[N][i] - a[i][i] = ((0.6 - 0.9) + (0.75 - 0.8)) / 2
        assertThat(matrix.backwardTransfer()).isCloseTo(-0.175, within(1e-15));
    }

    @Test
    void partialMatricesUseTheRowsSoFar() {
        AccuracyMatrix matrix = new AccuracyMatrix(List.of("a", "b", "c"), new double[][] {
                {0.9, 0.2, 0.1},
                {0.7, 0.8, 0.3}});
        assertThat(matrix.averageAccuracy()).isCloseTo(0.75, within(1e-15));
        assertThat(matrix.backwardTransfer()).isCloseTo(-0.2, within(1e-15));
        AccuracyMatrix one = new AccuracyMatrix(List.of("a", "b"), new double[][] {{0.5, 0.4}});
        assertThat(one.averageAccuracy()).isEqualTo(0.5);
        assertThat(one.backwardTransfer()).isNaN();
    }
}
