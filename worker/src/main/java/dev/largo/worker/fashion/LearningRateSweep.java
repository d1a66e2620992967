package dev.largo.worker.fashion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks each method's learning rate from sweep runs evaluated on the ID validation split only: the highest
 * validation accuracy, ties broken by the lower validation loss, then by the smaller learning rate.
 */
public final class LearningRateSweep {

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
