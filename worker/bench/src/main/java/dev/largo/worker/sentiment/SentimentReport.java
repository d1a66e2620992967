package dev.largo.worker.sentiment;

import dev.largo.worker.fashion.BenchmarkArm;
import dev.largo.worker.fashion.MachineInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's tables as markdown (and, whole, as JSON): per arm the mean ± std over seeds of ID (amazon),
 * per-OOD-domain (yelp, sst2), OOD mean and worst accuracy, with the chosen learning rate, trainable parameters,
 * ms/step and peak memory; then the continual runs' AA, BWT and accuracy matrices.
 */
record SentimentReport(String command, String startedAt, double wallMinutes, MachineInfo machine,
                       String loadAverageAtEnd, SentimentSettings settings, Map<String, Double> learningRates,
                       List<SentimentRunResult> sweep, List<SentimentRunResult> runs,
                       List<SentimentContinualResult> continual) {

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## sentiment-shift benchmark\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append(String.format(Locale.ROOT, "Date: %s, wall time %.1f min.%n%n", startedAt, wallMinutes));
        md.append(String.format(Locale.ROOT, "Machine: %d CPUs (%s), %d MiB, %s; %s; DJL %s, PyTorch %s; intra-op "
                        + "threads %d; runs in one process. Load average at start %s, at end %s.%n%n",
                machine.processors(), machine.cpuModel(), machine.memoryMib(), machine.os(), machine.java(),
                machine.djlVersion(), machine.pytorchVersion(), machine.intraOpThreads(), machine.loadAverage(),
                loadAverageAtEnd));
        md.append(String.format(Locale.ROOT, "Settings: all-MiniLM-L6-v2 (new pooler and head); %d amazon-train rows, "
                        + "%d rows of amazon-val (learning rates) and of each test set; max_seq_length %d; %d epochs, "
                        + "batch %d, AdamW (weight decay 0), cosine schedule with 10%% warm-up, gradient clip 1; LoRA "
                        + "r 8, alpha 16 on every encoder linear; seeds %s (variants: first %d).%n%n",
                settings.trainRows(), settings.evalRows(), settings.maxSeqLength(), settings.epochs(),
                settings.batchSize(), settings.seeds(), settings.variantSeeds()));
        md.append("Learning rates chosen on amazon-val (accuracy of each candidate's seed-0 run):");
        for (SentimentRunResult candidate : sweep) {
            md.append(String.format(Locale.ROOT, " %s %s: %.1f;", candidate.spec().arm().name(),
                    candidate.spec().learningRate(), 100 * candidate.validationAccuracy()));
        }
        md.append(" chosen ").append(learningRates).append(".\n\n");
        md.append("| method | lr | ID amazon | OOD yelp | OOD sst2 | OOD mean | OOD worst | trainable | ms/step | "
                + "peak MiB | seeds |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchmarkArm arm : settings.arms()) {
            List<SentimentRunResult> rows = runs.stream().filter(r -> r.spec().arm().equals(arm)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %,d | %.0f | %.0f | %d |%n",
                    arm.name(), rows.get(0).spec().learningRate(),
                    stat(rows, r -> r.idAccuracy()), stat(rows, r -> r.accuracyByDomain().get("yelp")),
                    stat(rows, r -> r.accuracyByDomain().get("sst2")), stat(rows, r -> r.oodMeanAccuracy()),
                    stat(rows, r -> r.oodWorstAccuracy()), rows.get(0).trainableParameters(),
                    median(rows.stream().mapToDouble(SentimentRunResult::medianStepMillis).toArray()),
                    rows.stream().mapToDouble(SentimentRunResult::peakMemoryMib).max().orElse(Double.NaN),
                    rows.size()));
        }
        md.append("\nAccuracy in %, mean ± std over seeds. Peak memory is the benchmark process's resident peak so "
                + "far (runs share one process).\n");
        if (!continual.isEmpty()) {
            md.append("\n### continual: amazon -> yelp -> sst2 (domain-incremental, one head)\n\n");
            md.append("| method | lr | AA | BWT | after sst2: amazon | yelp | sst2 | ms/step | seeds |\n"
                    + "|---|---|---|---|---|---|---|---|---|\n");
            for (var method : settings.continualMethods()) {
                List<SentimentContinualResult> rows = continual.stream().filter(r -> r.spec().method() == method)
                        .toList();
                if (rows.isEmpty()) {
                    continue;
                }
                int last = rows.get(0).accuracy().length - 1;
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %.0f | %d |%n",
                        method.id(), rows.get(0).spec().learningRate(),
                        cstat(rows, r -> r.averageAccuracy()), cstat(rows, r -> r.backwardTransfer()),
                        cstat(rows, r -> r.accuracy()[last][0]), cstat(rows, r -> r.accuracy()[last][1]),
                        cstat(rows, r -> r.accuracy()[last][2]),
                        median(rows.stream().mapToDouble(SentimentContinualResult::medianStepMillis).toArray()),
                        rows.size()));
            }
            for (SentimentContinualResult result : continual) {
                md.append(String.format(Locale.ROOT, "%n#### %s (seed %d): accuracy matrix (row: after task; "
                        + "column: tested on; %%)%n%n| after \\\\ on | %s |%n|---|%s%n", result.spec().method().id(),
                        result.spec().seed(), String.join(" | ", result.tasks()), "---|".repeat(result.tasks().size())));
                for (int r = 0; r < result.accuracy().length; r++) {
                    List<String> cells = new ArrayList<>();
                    for (double value : result.accuracy()[r]) {
                        cells.add(Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * value));
                    }
                    String rowName = result.accuracy().length == 1 ? "all tasks (joint)" : result.tasks().get(r);
                    md.append("| ").append(rowName).append(" | ").append(String.join(" | ", cells)).append(" |\n");
                }
            }
        }
        return md.toString();
    }

    private interface Metric<R> {
        Double of(R result);
    }

    private static String stat(List<SentimentRunResult> rows, Metric<SentimentRunResult> metric) {
        return meanStd(rows.stream().map(metric::of).mapToDouble(v -> v == null ? Double.NaN : v).toArray(), 100);
    }

    private static String cstat(List<SentimentContinualResult> rows, Metric<SentimentContinualResult> metric) {
        return meanStd(rows.stream().map(metric::of).mapToDouble(v -> v == null ? Double.NaN : v).toArray(), 100);
    }

    static String meanStd(double[] values, double scale) {
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean);
        }
        double std = values.length > 1 ? Math.sqrt(variance / (values.length - 1)) : 0;
        return String.format(Locale.ROOT, "%.1f ± %.1f", scale * mean, scale * std);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
