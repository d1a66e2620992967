package dev.largo.worker.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void accuracyLossAndCalibrationByHand() {
        // Two classes. Logits (0, ln 3) give softmax (1/4, 3/4): confidence 0.75 for class 1.
        float ln3 = (float) Math.log(3);
        float[] logits = {
            0f, ln3,   // predicts 1, label 1: hit,  confidence 0.75, loss -ln(3/4)
            0f, ln3,   // predicts 1, label 0: miss, confidence 0.75, loss -ln(1/4)
            ln3, 0f,   // predicts 0, label 0: hit,  confidence 0.75, loss -ln(3/4)
            0f, 0f,    // tie -> predicts 0, label 1: miss, confidence 0.5, loss ln 2
        };
        long[] labels = {1, 0, 0, 1};
        Metrics metrics = new Metrics();
        metrics.add(logits, 2, labels);
        SplitMetrics result = metrics.result();
        assertThat(result.count()).isEqualTo(4);
        assertThat(result.accuracy()).isEqualTo(0.5);
        double expectedLoss = (2 * -Math.log(0.75) - Math.log(0.25) + Math.log(2)) / 4;
        assertThat(result.meanLoss()).isCloseTo(expectedLoss, within(1e-6));
        // Bins of width 1/15: 0.75 -> bin (0.7333, 0.8]: 3 examples, accuracy 2/3, confidence 0.75;
        // 0.5 -> bin (0.4667, 0.5333]: 1 example, accuracy 0, confidence 0.5.
        double expectedEce = 3.0 / 4 * Math.abs(2.0 / 3 - 0.75) + 1.0 / 4 * Math.abs(0 - 0.5);
        assertThat(result.expectedCalibrationError()).isCloseTo(expectedEce, within(1e-6));
    }

    @Test
    void batchesAccumulateAndNdArraysWork() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] logits = {5f, 0f, 0f, 0f, 5f, 0f, 0f, 0f, 5f};
            Metrics metrics = new Metrics();
            metrics.add(manager.create(logits, new Shape(3, 3)), manager.create(new long[] {0, 1, 0}));
            metrics.add(manager.create(new float[] {0f, 0f, 9f}, new Shape(1, 3)), manager.create(new long[] {2}));
            SplitMetrics result = metrics.result();
            assertThat(result.count()).isEqualTo(4);
            assertThat(result.accuracy()).isEqualTo(0.75);
            double p5 = Math.exp(5) / (Math.exp(5) + 2);
            double p9 = Math.exp(9) / (Math.exp(9) + 2);
            assertThat(result.meanLoss()).isCloseTo((-2 * Math.log(p5) - Math.log(1 / (Math.exp(5) + 2))
                    - Math.log(p9)) / 4, within(1e-6));
            // p5 = 0.9867 and p9 = 0.99975 share the top bin (0.9333, 1]: accuracy 3/4.
            assertThat(result.expectedCalibrationError()).isCloseTo(Math.abs(0.75 - (3 * p5 + p9) / 4), within(1e-6));
        }
        assertThat(new Metrics().result().accuracy()).isNaN();
        assertThatThrownBy(() -> new Metrics().add(new float[] {1f, 2f}, 2, new long[] {2}))
                .hasMessageContaining("label 2");
    }

    @Test
    void summaryPoolsIdAndTakesMeanAndWorstOverOodDomains() {
        EvalSummary summary = EvalSummary.of(List.of(
                new EvaluatedSplit("val", true, "clean", new SplitMetrics(100, 0.9, 0.3, 0.05)),
                new EvaluatedSplit("test", true, "clean", new SplitMetrics(300, 0.8, 0.4, 0.05)),
                new EvaluatedSplit("rotate_a", false, "rotate", new SplitMetrics(100, 0.5, 1, 0.1)),
                new EvaluatedSplit("rotate_b", false, "rotate", new SplitMetrics(300, 0.3, 1, 0.1)),
                new EvaluatedSplit("invert", false, "invert", new SplitMetrics(50, 0.6, 1, 0.1))));
        assertThat(summary.idAccuracy()).isCloseTo((90 + 240) / 400.0, within(1e-12));
        assertThat(summary.oodAccuracyByDomain()).containsOnlyKeys("rotate", "invert");
        assertThat(summary.oodAccuracyByDomain().get("rotate")).isCloseTo(140 / 400.0, within(1e-12));
        assertThat(summary.oodMeanAccuracy()).isCloseTo((0.35 + 0.6) / 2, within(1e-12));
        assertThat(summary.oodWorstAccuracy()).isCloseTo(0.35, within(1e-12));
        assertThat(summary.oodWorstDomain()).isEqualTo("rotate");

        EvalSummary idOnly = EvalSummary.of(List.of(
                new EvaluatedSplit("val", true, null, new SplitMetrics(10, 1.0, 0, 0))));
        assertThat(idOnly.oodMeanAccuracy()).isNull();
        assertThat(idOnly.oodWorstAccuracy()).isNull();
    }
}
