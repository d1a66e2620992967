package dev.largo.worker.fashion;

import dev.largo.worker.fashion.BenchmarkReport.Stat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The continual benchmark's outcome: settings, machine, the learning-rate sweep on the first task, and per
 * method AA, BWT and the final accuracy matrix (mean and std over seeds).
 */
public record ContinualReport(String command, String startedAt, double wallMinutes, MachineInfo machine,
                              String loadAverageAtEnd, String executor, ContinualSettings settings,
                              int trainImagesPerTask, int validationImages, int testImagesPerStyle,
                              List<SweepEntry> sweep, Map<String, Double> learningRates, List<Row> rows,
                              List<ContinualRunResult> runs) {

    /** One sweep run: validation accuracy after training the first task. */
    public record SweepEntry(String method, double learningRate, double validationAccuracy, boolean chosen) {
    }

    /**
     * One method over its seeds.
     *
     * @param backwardTransfer null where undefined (joint)
     * @param matrix a[j][i] over seeds; null entries were never measured
     */
    public record Row(String method, double learningRate, Stat averageAccuracy, Stat backwardTransfer, Stat[][] matrix,
                      long trainableParameters, double medianStepMillis, double peakMemoryMib) {
    }

    /** Groups test runs by method, in the settings' order. */
    public static List<Row> rows(List<String> methods, List<ContinualRunResult> runs) {
        List<Row> rows = new ArrayList<>();
        for (String method : methods) {
            List<ContinualRunResult> mine = runs.stream().filter(run -> run.spec().method().equals(method)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            Double[][] first = mine.get(0).accuracy();
            Stat[][] matrix = new Stat[first.length][];
            for (int j = 0; j < first.length; j++) {
                matrix[j] = new Stat[first[j].length];
                for (int i = 0; i < first[j].length; i++) {
                    int row = j;
                    int col = i;
                    double[] values = mine.stream().map(run -> run.accuracy()[row][col]).filter(Objects::nonNull)
                            .mapToDouble(Double::doubleValue).toArray();
                    matrix[j][i] = values.length == 0 ? null : Stat.of(values);
                }
            }
            double[] bwt = mine.stream().map(ContinualRunResult::backwardTransfer).filter(Objects::nonNull)
                    .mapToDouble(Double::doubleValue).toArray();
            double[] steps = mine.stream().mapToDouble(ContinualRunResult::medianStepMillis).sorted().toArray();
            rows.add(new Row(method, mine.get(0).spec().learningRate(),
                    Stat.of(mine.stream().mapToDouble(ContinualRunResult::averageAccuracy).toArray()),
                    bwt.length == 0 ? null : Stat.of(bwt), matrix, mine.get(0).trainableParameters(),
                    steps[steps.length / 2], mine.stream().mapToDouble(ContinualRunResult::peakMemoryMib).max()
                    .orElse(Double.NaN)));
        }
        return rows;
    }

    /** The report as Markdown, ready for BENCHMARKS.md. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Continual fashion-shift benchmark (worker/engine/docs/gorp.md)\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Date: ").append(startedAt).append(", wall time ").append(String.format(Locale.ROOT, "%.1f", wallMinutes))
                .append(" min.\n\n");
        md.append(BenchmarkReport.machineLine(machine, executor, loadAverageAtEnd));
        md.append("Sequence: clean, rotate, invert, noise, blur, contrast; ").append(trainImagesPerTask)
                .append(" training images of classes 5-9 per task in its style (disjoint subsets); after every task the")
                .append(" model is tested on ").append(testImagesPerStyle).append(" test images of each style. ")
                .append(settings.epochs()).append(" epochs per task, batch ").append(settings.batchSize())
                .append(", AdamW (weight decay ").append(fmt(settings.weightDecay())).append("), cosine schedule with ")
                .append(fmt(settings.warmupRatio() * 100)).append("% warm-up per task, gradient clip ")
                .append(fmt(settings.gradClip())).append("; seeds ").append(settings.seeds()).append(". gorp: worker/engine/docs/gorp.md")
                .append(" defaults (LoRA r 8, alpha 16 on query and value; intermediate.dense full rank, GaLore k 8,")
                .append(" T 10, scale 0.25; energy threshold 0.9). lora/largo: worker/engine/docs/largo.md §3 defaults (r 8 on every")
                .append(" attention and MLP linear), one adapter trained on and on; full: all weights; joint: lora on")
                .append(" all six tasks' data at once for the same epochs (one accuracy row).\n\n");

        md.append("### Learning-rate sweep (first task only, ID validation split, seed ").append(settings.sweepSeed())
                .append(")\n\n| method | learning rate | validation accuracy | chosen |\n|---|---|---|---|\n");
        for (SweepEntry entry : sweep) {
            md.append("| ").append(entry.method()).append(" | ").append(fmt(entry.learningRate())).append(" | ")
                    .append(pct(entry.validationAccuracy())).append(" | ").append(entry.chosen() ? "yes" : "")
                    .append(" |\n");
        }
        md.append("\nChosen: ").append(learningRates).append(" (joint uses lora's).\n\n");

        md.append("### Average accuracy and backward transfer (%, mean ± std over ").append(settings.seeds().size())
                .append(" seeds)\n\n| method | lr | AA | BWT | trainable params (last task) | median ms/step | peak memory (MiB) |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            md.append("| ").append(row.method()).append(" | ").append(fmt(row.learningRate())).append(" | ")
                    .append(stat(row.averageAccuracy())).append(" | ")
                    .append(row.backwardTransfer() == null ? "n/a" : stat(row.backwardTransfer())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", row.trainableParameters())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", row.medianStepMillis())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", row.peakMemoryMib())).append(" |\n");
        }
        md.append('\n');
        for (Row row : rows) {
            md.append("#### ").append(row.method()).append(": accuracy matrix (row: after task; column: tested on; %, mean ± std)\n\n| after \\\\ on |");
            List<String> names = runs.stream().filter(run -> run.spec().method().equals(row.method())).findFirst()
                    .map(ContinualRunResult::taskNames).orElse(List.of());
            names.forEach(name -> md.append(' ').append(name).append(" |"));
            md.append("\n|---|").append("---|".repeat(names.size())).append('\n');
            for (int j = 0; j < row.matrix().length; j++) {
                if (Arrays.stream(row.matrix()[j]).allMatch(Objects::isNull)) {
                    continue;
                }
                // Joint trains once, on every task's data: its one row is "after all tasks".
                md.append("| ").append(row.method().equals("joint") ? "all tasks (joint)"
                        : j < names.size() ? names.get(j) : String.valueOf(j)).append(" |");
                for (Stat entry : row.matrix()[j]) {
                    md.append(' ').append(entry == null ? "" : stat(entry)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String stat(Stat stat) {
        return BenchmarkReport.stat(stat);
    }

    private static String pct(double fraction) {
        return BenchmarkReport.pct(fraction);
    }

    private static String fmt(double value) {
        return BenchmarkReport.fmt(value);
    }
}
