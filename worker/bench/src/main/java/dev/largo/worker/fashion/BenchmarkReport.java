package dev.largo.worker.fashion;

import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.styles.Style;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's outcome: settings, machine, the learning-rate sweep and one row per arm with mean and
 * standard deviation over seeds. Written as {@code results.json} and rendered as {@code results.md}.
 *
 * @param command the command line that produced it
 * @param startedAt ISO-8601 start time
 * @param wallMinutes the whole benchmark's wall time
 * @param loadAverageAtEnd load averages when it finished (the machine's are those at the start)
 * @param learningRates the sweep's choice per method id
 * @param runs every non-sweep run
 */
public record BenchmarkReport(String command, String startedAt, double wallMinutes, MachineInfo machine,
                              String loadAverageAtEnd, String executor, BenchmarkSettings settings,
                              int trainImages, int validationImages, int testImagesPerStyle,
                              List<LearningRateSweep.Entry> sweep, Map<String, Double> learningRates, List<Row> rows,
                              List<RunResult> runs) {

    /** Mean and sample standard deviation (0 for a single value). */
    public record Stat(double mean, double std, int n) {

        public static Stat of(double[] values) {
            double mean = Arrays.stream(values).average().orElse(Double.NaN);
            double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            return new Stat(mean, values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0, values.length);
        }
    }

    /**
     * One arm over its seeds.
     *
     * @param medianStepMillis median over the runs of each run's median step time
     * @param peakMemoryMib the largest peak over the runs
     */
    public record Row(String arm, String method, boolean variant, double learningRate, Stat idAccuracy,
                      Stat oodMeanAccuracy, Stat oodWorstAccuracy, Map<String, Stat> accuracyByDomain,
                      long trainableParameters, double medianStepMillis, double peakMemoryMib, String peakMemoryScope) {
    }

    /** Groups test runs by arm, in the order of {@code arms}; arms without runs are left out. */
    public static List<Row> rows(List<BenchmarkArm> arms, List<RunResult> runs) {
        List<Row> rows = new ArrayList<>();
        for (BenchmarkArm arm : arms) {
            List<RunResult> mine = runs.stream().filter(run -> run.spec().arm().equals(arm)).toList();
            if (mine.isEmpty()) {
                continue;
            }
            Map<String, Stat> byDomain = new LinkedHashMap<>();
            for (Style style : Style.values()) {
                byDomain.put(style.id(), Stat.of(mine.stream().mapToDouble(r -> r.accuracyByDomain().get(style.id()))
                        .toArray()));
            }
            double[] stepMillis = mine.stream().mapToDouble(RunResult::medianStepMillis).sorted().toArray();
            double medianStep = stepMillis.length % 2 == 1 ? stepMillis[stepMillis.length / 2]
                    : (stepMillis[stepMillis.length / 2 - 1] + stepMillis[stepMillis.length / 2]) / 2;
            rows.add(new Row(arm.name(), arm.type().id(), !arm.isMethodDefault(), mine.get(0).spec().learningRate(),
                    Stat.of(mine.stream().mapToDouble(RunResult::idAccuracy).toArray()),
                    Stat.of(mine.stream().mapToDouble(RunResult::oodMeanAccuracy).toArray()),
                    Stat.of(mine.stream().mapToDouble(RunResult::oodWorstAccuracy).toArray()), byDomain,
                    mine.get(0).trainableParameters(), medianStep,
                    mine.stream().mapToDouble(RunResult::peakMemoryMib).max().orElse(Double.NaN),
                    mine.get(0).peakMemoryScope()));
        }
        return rows;
    }

    /** The report as Markdown, ready for BENCHMARKS.md. */
    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## fashion-shift benchmark\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Date: ").append(startedAt).append(", wall time ").append(String.format(Locale.ROOT, "%.1f", wallMinutes))
                .append(" min.\n\n");
        md.append(machineLine(machine, executor, loadAverageAtEnd));
        md.append("Settings: ").append(settings.epochs()).append(" epochs, batch ").append(settings.batchSize())
                .append(", AdamW (weight decay ").append(fmt(settings.weightDecay())).append("), cosine schedule with ")
                .append(fmt(settings.warmupRatio() * 100)).append("% warm-up, gradient clip ").append(fmt(settings.gradClip()))
                .append("; LoRA r 8, alpha 16 on every attention and MLP linear; seeds ").append(settings.seeds())
                .append(" (variants ").append(settings.variantSeeds()).append(")")
                .append("; ").append(trainImages).append(" training, ").append(validationImages)
                .append(" validation and ").append(testImagesPerStyle)
                .append(" test images per style (Fashion-MNIST classes 5-9; clean is ID, rotate/invert/noise/blur/contrast OOD).")
                .append(" Head warm-up variants train the head alone for ").append(settings.headWarmupEpochs())
                .append(" epochs first.\n\n");

        md.append("### Learning-rate sweep (ID validation split, seed ").append(settings.sweepSeed()).append(")\n\n");
        List<String> unswept = learningRates.keySet().stream()
                .filter(method -> sweep.stream().noneMatch(entry -> entry.method().equals(method))).toList();
        if (!unswept.isEmpty()) {
            md.append("Not swept (one candidate): ").append(String.join(", ", unswept)).append(".\n\n");
        }
        md.append("| method | learning rate | validation accuracy | validation loss | chosen |\n|---|---|---|---|---|\n");
        for (LearningRateSweep.Entry entry : sweep) {
            md.append("| ").append(entry.method()).append(" | ").append(fmt(entry.learningRate())).append(" | ")
                    .append(pct(entry.validationAccuracy())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.4f", entry.validationLoss())).append(" | ")
                    .append(entry.chosen() ? "yes" : "").append(" |\n");
        }
        md.append('\n');
        appendTable(md, "Methods", rows.stream().filter(row -> !row.variant()).toList(), settings.seeds().size());
        appendTable(md, "Variants", rows.stream().filter(Row::variant).toList(), settings.variantSeeds().size());

        md.append("### Accuracy per test domain (mean over seeds, %)\n\n| arm |");
        for (Style style : Style.values()) {
            md.append(' ').append(style.id()).append(style == FashionShift.ID_STYLE ? " (ID)" : "").append(" |");
        }
        md.append("\n|---|").append("---|".repeat(Style.values().length)).append('\n');
        for (Row row : rows) {
            md.append("| ").append(row.arm()).append(" |");
            for (Style style : Style.values()) {
                md.append(' ').append(pct(row.accuracyByDomain().get(style.id()).mean())).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        double chance = 1.0 / FashionShift.TASK_CLASSES.length;
        List<String> atChance = domainsAtOrBelowChance(rows, chance);
        if (!atChance.isEmpty()) {
            md.append("At or below chance (").append(pct(chance)).append(" %) for every arm, the linear_probe base")
                    .append(" included: ").append(String.join(", ", atChance))
                    .append(". No method learned these domains; their differences compare guesses.\n\n");
        }
        return md.toString();
    }

    private void appendTable(StringBuilder md, String title, List<Row> table, int seeds) {
        if (table.isEmpty()) {
            return;
        }
        md.append("### ").append(title).append(seeds == 1 ? " (accuracy %, one seed each: n = 1, no spread)\n\n"
                : " (accuracy %, mean ± std over " + seeds + " seeds)\n\n");
        md.append("| method | lr | ID | OOD mean | OOD worst | trainable params | median ms/step | peak memory (MiB, ")
                .append(table.get(0).peakMemoryScope()).append(") |\n|---|---|---|---|---|---|---|---|\n");
        for (Row row : table) {
            md.append("| ").append(row.arm()).append(" | ").append(fmt(row.learningRate())).append(" | ")
                    .append(stat(row.idAccuracy())).append(" | ").append(stat(row.oodMeanAccuracy())).append(" | ")
                    .append(stat(row.oodWorstAccuracy())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", row.trainableParameters())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", row.medianStepMillis())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f", row.peakMemoryMib())).append(" |\n");
        }
        md.append('\n');
    }

    /** The "Machine: ..." paragraph of a benchmark report. */
    static String machineLine(MachineInfo machine, String executor, String loadAverageAtEnd) {
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(machine.processors()).append(" CPUs (").append(machine.cpuModel()).append("), ")
                .append(machine.memoryMib()).append(" MiB, ").append(machine.os()).append("; ").append(machine.java())
                .append("; DJL ").append(machine.djlVersion()).append(", PyTorch ").append(machine.pytorchVersion())
                .append("; intra-op threads ").append(machine.intraOpThreads()).append(", inter-op 1")
                .append(machine.atenCpuCapability() == null ? "" : ", ATEN_CPU_CAPABILITY=" + machine.atenCpuCapability())
                .append("; runs ").append(executor).append(". Load average (1/5/15 min) at start ")
                .append(machine.loadAverage()).append(", at end ").append(loadAverageAtEnd).append(".\n\n");
        return md.toString();
    }

    /** mean ± std; a single run has no spread to show, so it says n = 1 rather than a misleading "± 0.0". */
    static String stat(Stat stat) {
        return stat.n() == 1 ? String.format(Locale.ROOT, "%.1f (n = 1)", stat.mean() * 100)
                : String.format(Locale.ROOT, "%.1f ± %.1f", stat.mean() * 100, stat.std() * 100);
    }

    /**
     * The domains where every arm's mean accuracy (the linear_probe base included) is at or below chance: a gain or
     * loss there compares guesses, and the report says so.
     */
    static List<String> domainsAtOrBelowChance(List<Row> rows, double chance) {
        List<String> domains = new ArrayList<>();
        for (Style style : Style.values()) {
            if (!rows.isEmpty() && rows.stream()
                    .allMatch(row -> row.accuracyByDomain().get(style.id()).mean() <= chance + 1e-9)) {
                domains.add(style.id());
            }
        }
        return domains;
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f", fraction * 100);
    }

    static String fmt(double value) {
        String text = Double.toString(value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }
}
