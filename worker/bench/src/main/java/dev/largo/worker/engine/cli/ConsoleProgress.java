package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.EvalSummary;
import dev.largo.worker.engine.eval.EvaluatedSplit;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.StepProgress;
import dev.largo.worker.engine.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints progress lines (epoch, step/total, loss, lr, ms/step, ETA) and appends one JSON line per step, epoch
 * end, checkpoint and evaluation to metrics.jsonl.
 */
final class ConsoleProgress implements TrainingListener, AutoCloseable {

    private final PrintStream out;
    private final BufferedWriter metrics;

    ConsoleProgress(PrintStream out, Path metricsFile) throws IOException {
        this.out = out;
        this.metrics = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8);
    }

    @Override
    public void onStep(StepProgress p) {
        long every = Math.max(1, p.totalSteps() / 100);
        if (p.step() == 1 || p.step() % every == 0 || p.step() == p.totalSteps()) {
            out.printf(Locale.ROOT, "[%s] epoch %d/%d  step %d/%d  loss %.4f  lr %.2e  %.1f ms/step  ETA %s%n",
                    p.phase(), p.epoch(), p.totalEpochs(), p.step(), p.totalSteps(), p.loss(), p.learningRate(),
                    p.stepMillis(), duration(p.etaSeconds()));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "step");
        line.put("step", p.step());
        line.put("epoch", p.epoch());
        line.put("phase", p.phase());
        line.put("loss", p.loss());
        line.put("lr", p.learningRate());
        line.put("grad_norm", p.gradNorm());
        line.put("step_ms", p.stepMillis());
        if (!p.gammas().isEmpty()) {
            line.put("gamma", p.gammas());
        }
        write(line);
    }

    @Override
    public void onEpochEnd(int epoch, long step, double meanLoss) {
        out.printf(Locale.ROOT, "epoch %d done at step %d: mean training loss %.4f%n", epoch, step, meanLoss);
        write(Map.of("event", "epoch_end", "epoch", epoch, "step", step, "mean_loss", meanLoss));
    }

    @Override
    public void onCheckpoint(int epoch, long step, Path file) {
        out.printf(Locale.ROOT, "checkpoint %s%n", file);
        write(Map.of("event", "checkpoint", "epoch", epoch, "step", step, "file", file.toString()));
    }

    @Override
    public void onEvaluation(EvaluationReport report) {
        String who = report.model().equals(EvaluationReport.BASE) ? "base reference" : "epoch " + report.epoch();
        for (EvaluatedSplit split : report.splits()) {
            out.printf(Locale.ROOT, "  %-16s %-3s %-12s acc %.4f  loss %.4f  ece %.4f  n %d%n", who,
                    split.inDomain() ? "id" : "ood", split.domain(), split.metrics().accuracy(),
                    split.metrics().meanLoss(), split.metrics().expectedCalibrationError(), split.metrics().count());
        }
        EvalSummary s = report.summary();
        out.printf(Locale.ROOT, "  %-16s ID %s  OOD mean %s  OOD worst %s%n", who, percent(s.idAccuracy()),
                percent(s.oodMeanAccuracy()), percent(s.oodWorstAccuracy()));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "evaluation");
        line.put("report", report);
        write(line);
    }

    @Override
    public void onMessage(String message) {
        out.println(message);
    }

    private void write(Map<String, ?> line) {
        try {
            metrics.write(Json.SNAKE_LINE.writeValueAsString(line));
            metrics.newLine();
            metrics.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics.jsonl", e);
        }
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static String percent(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f%%", value * 100);
    }

    @Override
    public void close() throws IOException {
        metrics.close();
    }
}
