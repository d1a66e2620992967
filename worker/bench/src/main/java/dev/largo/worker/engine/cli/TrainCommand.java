package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.JobResult;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code train --config job.json --out DIR [--resume CHECKPOINT]}: runs one job without any database and
 * writes into DIR: {@code metrics.jsonl}, {@code evaluation.json}, {@code checkpoints/}, {@code adapter.zip},
 * {@code merged/}. Ctrl-C cancels after the current step.
 */
final class TrainCommand {

    private TrainCommand() {
    }

    static int run(String[] args, PrintStream out) throws IOException, InvalidDatasetException {
        Path config = null;
        Path outDir = null;
        Path resume = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = Path.of(value(args, ++i, "--config"));
                case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
                case "--resume" -> resume = Path.of(value(args, ++i, "--resume"));
                default -> throw new IllegalArgumentException("unknown train option " + args[i]);
            }
        }
        if (config == null || outDir == null) {
            throw new IllegalArgumentException("usage: train --config job.json --out DIR [--resume CHECKPOINT]");
        }
        Files.createDirectories(outDir);
        TrainingJob job = JobFile.read(config);
        out.printf(Locale.ROOT, "job: %s on %s (%s), %d training images, %d evaluation splits, seed %d%n",
                job.method().type().id(), job.baseModelName(), job.baseConfig().architecture(), job.trainData().count(),
                job.evalSplits().size(), job.seed());
        AtomicBoolean cancel = new AtomicBoolean();
        Thread hook = new Thread(() -> cancel.set(true));
        Runtime.getRuntime().addShutdownHook(hook);
        JobResult result;
        try (ConsoleProgress progress = new ConsoleProgress(out, outDir.resolve("metrics.jsonl"))) {
            result = new JobRunner(job, outDir, progress, cancel::get).run(resume);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting
            }
        }
        Map<String, Object> evaluation = new LinkedHashMap<>();
        evaluation.put("method", job.method().type().id());
        evaluation.put("trainable_parameters", result.trainableParameters());
        evaluation.put("steps", result.steps());
        evaluation.put("median_step_ms", result.medianStepMillis());
        evaluation.put("base_reference", result.reference());
        evaluation.put("final", result.finalEvaluation());
        evaluation.put("evaluations", result.evaluations());
        Files.writeString(outDir.resolve("evaluation.json"), Json.SNAKE.writeValueAsString(evaluation));
        out.printf(Locale.ROOT, "done: %d steps, median %.1f ms/step, %d trainable parameters%n", result.steps(),
                result.medianStepMillis(), result.trainableParameters());
        out.printf(Locale.ROOT, "wrote %s, %s, %s, %s, %s%n", outDir.resolve("metrics.jsonl"),
                outDir.resolve("evaluation.json"), result.lastCheckpoint(), result.adapterZip(), result.mergedModel());
        return 0;
    }

    static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
