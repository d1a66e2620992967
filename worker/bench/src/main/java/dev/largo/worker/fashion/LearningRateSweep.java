package dev.largo.worker.fashion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks each method's learning rate from sweep runs evaluated on the ID validation split only: the highest
 * validation accuracy, ties broken by the lower validation loss, then by the smaller learning rate. When the
 * winner is the largest or smallest rate tried, the sweep goes one half-decade further that way
 * ({@link #beyondEdge}), at most {@link #MAX_EXTENSIONS} times, so a grid that was placed too low or too high
 * does not decide the result.
 */
public final class LearningRateSweep {

    /** Extra half-decade steps a method's sweep may take past the edge of its grid. */
    public static final int MAX_EXTENSIONS = 2;

    /** One sweep run as the report lists it. */
    public record Entry(String method, double learningRate, double validationAccuracy, double validationLoss,
                        boolean chosen) {
    }

    private LearningRateSweep() {
    }

    /** Method id to chosen learning rate, in the order methods first appear. */
    public static Map<String, Double> choose(List<RunResult> sweepRuns) {
        Map<String, RunResult> best = new LinkedHashMap<>();
        for (RunResult run : sweepRuns) {
            if (!RunSpec.VALIDATION.equals(run.spec().evaluation())) {
                throw new IllegalArgumentException("sweep run " + run.spec().label()
                        + " was not evaluated on the validation split");
            }
            best.merge(run.spec().arm().type().id(), run, (a, b) -> better(b, a) ? b : a);
        }
        Map<String, Double> chosen = new LinkedHashMap<>();
        best.forEach((method, run) -> chosen.put(method, run.spec().learningRate()));
        return chosen;
    }

    /** The sweep runs as report entries, the chosen one of each method marked. */
    public static List<Entry> entries(List<RunResult> sweepRuns) {
        Map<String, Double> chosen = choose(sweepRuns);
        List<Entry> entries = new ArrayList<>();
        for (RunResult run : sweepRuns) {
            String method = run.spec().arm().type().id();
            entries.add(new Entry(method, run.spec().learningRate(), run.idAccuracy(), run.idLoss(),
                    chosen.get(method) == run.spec().learningRate()));
        }
        return entries;
    }

    /**
     * The next rate past the edge of what {@code tried} covers when the chosen rate sits on that edge (one
     * half-decade step on the 1-3-10 ladder: 1e-2 -> 3e-2 -> 1e-1 upwards, 3e-5 -> 1e-5 downwards); empty when the
     * choice is inside the tried range.
     */
    public static java.util.Optional<Double> beyondEdge(List<Double> tried, double chosen) {
        double max = tried.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = tried.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        if (tried.size() < 2 || (chosen != max && chosen != min)) {
            return java.util.Optional.empty();
        }
        boolean up = chosen == max;
        double decade = Math.pow(10, Math.floor(Math.log10(chosen) + 1e-9));
        boolean one = Math.abs(chosen / decade - 1) < 1e-6;
        double next = up ? (one ? 3 * decade : 10 * decade) : (one ? 0.3 * decade : decade);
        return java.util.Optional.of(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.1e", next)));
    }

    private static boolean better(RunResult candidate, RunResult incumbent) {
        if (candidate.idAccuracy() != incumbent.idAccuracy()) {
            return candidate.idAccuracy() > incumbent.idAccuracy();
        }
        if (candidate.idLoss() != incumbent.idLoss()) {
            return candidate.idLoss() < incumbent.idLoss();
        }
        return candidate.spec().learningRate() < incumbent.spec().learningRate();
    }
}
