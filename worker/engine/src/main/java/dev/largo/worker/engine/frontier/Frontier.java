package dev.largo.worker.engine.frontier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The ID-versus-OOD curve of one fine-tuned model over the interpolation weight alpha (WiSE-FT), points in
 * increasing alpha.
 */
public record Frontier(List<FrontierPoint> points) {

    public Frontier {
        points = points.stream().sorted(Comparator.comparingDouble(FrontierPoint::alpha)).toList();
        if (points.isEmpty()) {
            throw new IllegalArgumentException("a frontier needs at least one point");
        }
    }

    /** {@code count} evenly spaced alphas from 0 to 1 inclusive (count >= 2). */
    public static List<Double> grid(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("a grid needs at least 2 points, got " + count);
        }
        List<Double> alphas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            alphas.add(i == count - 1 ? 1.0 : (double) i / (count - 1));
        }
        return alphas;
    }

    /**
     * The point with the best OOD mean among those whose ID accuracy is within {@code tolerance} (a fraction) of the
     * best ID accuracy on the curve; ties go to the higher ID accuracy, then the larger alpha. Empty when the splits
     * have no ID or no OOD part (nothing to trade).
     */
    public Optional<FrontierPoint> recommend(double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("tolerance must be in [0, 1], got " + tolerance);
        }
        if (points.stream().anyMatch(p -> p.idAccuracy() == null || p.oodMeanAccuracy() == null)) {
            return Optional.empty();
        }
        double bestId = points.stream().mapToDouble(FrontierPoint::idAccuracy).max().orElseThrow();
        // A small slack so that a point exactly at the tolerance is not lost to rounding of the accuracies.
        double floor = bestId - tolerance - 1e-12;
        return points.stream().filter(p -> p.idAccuracy() >= floor)
                .max(Comparator.comparingDouble(FrontierPoint::oodMeanAccuracy)
                        .thenComparingDouble(FrontierPoint::idAccuracy)
                        .thenComparingDouble(FrontierPoint::alpha));
    }

    /**
     * The smallest alpha whose ID accuracy is within {@code tolerance} of the best: the choice a user makes with ID
     * validation data only (WiSE-FT's premise: moving toward theta0 keeps more of what the base model knew).
     */
    public FrontierPoint smallestAlphaWithinId(double tolerance) {
        if (points.stream().anyMatch(p -> p.idAccuracy() == null)) {
            throw new IllegalStateException("the curve has no ID accuracy");
        }
        double bestId = points.stream().mapToDouble(FrontierPoint::idAccuracy).max().orElseThrow();
        return points.stream().filter(p -> p.idAccuracy() >= bestId - tolerance - 1e-12).findFirst().orElseThrow();
    }

    /** The point at exactly this alpha, if the curve has one. */
    public Optional<FrontierPoint> at(double alpha) {
        return points.stream().filter(p -> p.alpha() == alpha).findFirst();
    }
}
