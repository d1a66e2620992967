package dev.largo.worker.engine.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The curve's grid and its recommendation rule. */
class FrontierTest {

    private static FrontierPoint point(double alpha, double id, double oodMean) {
        return new FrontierPoint(alpha, id, oodMean, oodMean - 0.1, Map.of("clean", id));
    }

    private static final Frontier CURVE = new Frontier(List.of(
            point(1.0, 0.92, 0.50), point(0.0, 0.80, 0.52), point(0.5, 0.915, 0.56),
            point(0.75, 0.918, 0.55), point(0.25, 0.88, 0.58)));

    @Test
    void gridIsEvenFromZeroToExactlyOne() {
        assertThat(Frontier.grid(11)).hasSize(11).startsWith(0.0, 0.1).endsWith(1.0);
        assertThat(Frontier.grid(2)).containsExactly(0.0, 1.0);
        assertThatThrownBy(() -> Frontier.grid(1)).hasMessageContaining("at least 2");
    }

    @Test
    void recommendsTheBestOodMeanWithinTheIdTolerance() {
        assertThat(CURVE.points()).extracting(FrontierPoint::alpha).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0);
        // best ID 0.92; within 0.005: alphas 0.5 (0.915), 0.75, 1.0 -> best OOD mean at 0.5
        assertThat(CURVE.recommend(0.005).orElseThrow().alpha()).isEqualTo(0.5);
        // within 0.002: 0.75 (0.918) and 1.0 -> 0.75
        assertThat(CURVE.recommend(0.002).orElseThrow().alpha()).isEqualTo(0.75);
        // zero tolerance: only the best ID point
        assertThat(CURVE.recommend(0).orElseThrow().alpha()).isEqualTo(1.0);
        // everything allowed: the best OOD mean of all
        assertThat(CURVE.recommend(1).orElseThrow().alpha()).isEqualTo(0.25);
        assertThatThrownBy(() -> CURVE.recommend(-0.1)).hasMessageContaining("tolerance");
    }

    @Test
    void withoutOodSplitsThereIsNothingToRecommend() {
        Frontier idOnly = new Frontier(List.of(new FrontierPoint(0, 0.8, null, null, Map.of()),
                new FrontierPoint(1, 0.9, null, null, Map.of())));
        assertThat(idOnly.recommend(0.01)).isEmpty();
        assertThat(idOnly.smallestAlphaWithinId(0.2).alpha()).isEqualTo(0.0);
        assertThat(CURVE.smallestAlphaWithinId(0.005).alpha()).isEqualTo(0.5);
    }

    @Test
    void alphaOutsideTheUnitIntervalIsRefused() {
        for (double alpha : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> WeightInterpolation.requireAlpha(alpha)).hasMessageContaining("alpha must be in [0, 1]");
        }
    }
}
