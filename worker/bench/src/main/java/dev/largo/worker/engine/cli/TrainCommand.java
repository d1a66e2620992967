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
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code train --config job.json --out DIR [--resume CHECKPOINT]}: runs one job without any database and
 * writes into DIR: {@code metrics.jsonl}, {@code evaluation.json}, {@code checkpoints/}, {@code adapter.zip},
 * {@code merged/}. Ctrl-C cancels after the current step.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Runs one job file without any database, writing metrics, evaluation, checkpoints and exports.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "JOB.json", required = true, description = "the job file")
    private Path config;
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where everything is written")
    private Path outDir;
    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "continue from this checkpoint")
    private Path resume;

    private final PrintStream out;

    TrainCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws IOException, InvalidDatasetException {
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
}
