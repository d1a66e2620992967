package dev.largo.worker.engine.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PeftExporter;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.reference.BaseReference;
import dev.largo.worker.engine.reference.FeatureExtractor;
import dev.largo.worker.engine.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs one job end to end without any database: the base reference (base backbone with a converged linear head),
 * the method's training with checkpoints and evaluations after its epochs, then the exports (PEFT adapter zip
 * and merged model). The worker process and the local CLI both call {@link #run}.
 *
 * <p>Work directory layout: {@code checkpoints/epoch-NNN.safetensors} (and {@code checkpoints/step-NNNNNNNNN.safetensors}
 * where a cancelled run stopped), {@code adapter.zip},
 * {@code merged/model.safetensors}, {@code merged/config.json}.
 */
public final class JobRunner {

    static final String REFERENCE_KEY = "base_reference";

    private final TrainingJob job;
    private final Path workDirectory;
    private final TrainingListener listener;
    private final BooleanSupplier cancelRequested;
    private final Device device;

    public JobRunner(TrainingJob job, Path workDirectory, TrainingListener listener, BooleanSupplier cancelRequested) {
        this(job, workDirectory, listener, cancelRequested, null);
    }

    /** @param device where the tensors live; null: DJL's default (a GPU when libtorch has one, else the CPU) */
    public JobRunner(TrainingJob job, Path workDirectory, TrainingListener listener, BooleanSupplier cancelRequested,
                     Device device) {
        this.job = job;
        this.workDirectory = workDirectory;
        this.listener = listener;
        this.cancelRequested = cancelRequested;
        this.device = device;
    }

    /**
     * @param resumeFrom a checkpoint of an earlier attempt of this same job, or null to start afresh
     * @throws TrainingCancelledException when cancellation was requested (checked before every step); the state
     *     where the run stopped is checkpointed first (reported to {@link TrainingListener#onCheckpoint}), so a
     *     run stopped to be resumed elsewhere (a worker shutting down) loses no step
     * @throws NonFiniteLossException when the loss diverged
     */
    public JobResult run(Path resumeFrom) throws IOException {
        Files.createDirectories(workDirectory.resolve("checkpoints"));
        String configHash = ConfigHash.of(job);
        Evaluator evaluator = new Evaluator(job.inputs(), job.hyperparameters().batchSize());
        try (NDManager root = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device)) {
            Checkpoint.Data resume = null;
            if (resumeFrom != null) {
                resume = Checkpoint.read(resumeFrom, root);
                Checkpoint.verify(resume, configHash);
                listener.onMessage("resuming from " + resumeFrom.getFileName() + " (epoch " + resume.epochsDone()
                        + ", step " + resume.step() + ")");
            }
            EvaluationReport reference = resume != null && resume.extra().containsKey(REFERENCE_KEY)
                    ? Json.MAPPER.readValue(resume.extra().get(REFERENCE_KEY), EvaluationReport.class)
                    : baseReference(root);
            List<EvaluationReport> evaluations = new ArrayList<>();
            List<Double> stepMillis = new ArrayList<>();
            Path[] lastCheckpoint = {resumeFrom};
            long[] lastCheckpointStep = {resume == null ? 0 : resume.step()};
            Map<String, String> extra = new LinkedHashMap<>();
            if (reference != null) {
                extra.put(REFERENCE_KEY, Json.MAPPER.writeValueAsString(reference));
            }
            try (Classifier model = taskModel(root)) {
                PreparedMethod prepared = PreparedMethod.prepare(model, job.method(), job.seed(), resume);
                TrainingPlan plan = new TrainingPlan(model, job.method(), prepared, job.hyperparameters(),
                        job.trainData(), job.inputs(), job.seed());
                Hyperparameters hyper = job.hyperparameters();
                TrainingListener timing = new TrainingListener() {
                    @Override
                    public void onStep(StepProgress progress) {
                        stepMillis.add(progress.stepMillis());
                        listener.onStep(progress);
                    }

                    @Override
                    public void onEpochEnd(int epoch, long step, double meanLoss) {
                        listener.onEpochEnd(epoch, step, meanLoss);
                    }
                };
                Trainer.EpochEndHook hook = (trainer, epoch) -> {
                    boolean last = epoch == hyper.totalEpochs();
                    if (last || epoch % hyper.checkpointEveryEpochs() == 0) {
                        Path file = workDirectory.resolve("checkpoints").resolve(String.format("epoch-%03d.safetensors", epoch));
                        try {
                            Checkpoint.write(trainer, file, configHash, extra);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot write checkpoint " + file, e);
                        }
                        lastCheckpoint[0] = file;
                        lastCheckpointStep[0] = trainer.step();
                        listener.onCheckpoint(epoch, trainer.step(), file);
                    }
                    if (!job.evalSplits().isEmpty() && (last || epoch % hyper.evalEveryEpochs() == 0)) {
                        EvaluationReport report = evaluator.evaluate(model, job.evalSplits(), epoch, trainer.step(),
                                EvaluationReport.FINE_TUNED);
                        evaluations.add(report);
                        listener.onEvaluation(report);
                    }
                };
                long trainableParameters;
                long steps;
                try (Trainer trainer = new Trainer(plan, timing, cancelRequested, hook)) {
                    if (resume != null) {
                        Checkpoint.restore(trainer, resume, configHash);
                    }
                    try {
                        trainer.run();
                    } catch (TrainingCancelledException e) {
                        if (trainer.step() > lastCheckpointStep[0]) {
                            Path file = workDirectory.resolve("checkpoints")
                                    .resolve(String.format("step-%09d.safetensors", trainer.step()));
                            Checkpoint.write(trainer, file, configHash, extra);
                            listener.onCheckpoint(trainer.epochsDone(), trainer.step(), file);
                        }
                        throw e;
                    }
                    steps = trainer.step();
                    trainableParameters = countParameters(model, prepared.trainable());
                }
                listener.onMessage("exporting adapter and merged model");
                Path zip = workDirectory.resolve("adapter.zip");
                PeftExporter.ExportedAdapter adapter = PeftExporter.export(model,
                        job.method().lora() == null ? List.of() : job.method().lora().targetModules(),
                        model.savedModules(), job.baseModelName(), job.method().type().id(), zip);
                Path merged = workDirectory.resolve("merged");
                MergedModelWriter.write(model, merged);
                return new JobResult(evaluations, reference, lastCheckpoint[0], zip, adapter, merged,
                        trainableParameters, steps, median(stepMillis));
            }
        }
    }

    /**
     * The base model with the task head: the pretrained head only when the task has exactly the base model's
     * labels, else a new seeded head (worker/engine/docs/largo.md §3: the new task head has no pretrained weight). Other classes
     * with the same count (the fashion-shift task: classes 5-9 on a base trained on classes 0-4) get a new
     * head too; reusing the old one would start them from another task's class directions.
     */
    private Classifier taskModel(NDManager root) throws IOException {
        Classifier model = ModelLoader.load(job.baseConfig(), job.baseWeights(), job.seed(), root);
        List<String> labels = job.labels();
        if (!model.config().labels().equals(labels)) {
            model.replaceHead(labels, job.seed());
        }
        return model;
    }

    /** The reference row: the unmodified base backbone with a converged linear head ({@link BaseReference}). */
    private EvaluationReport baseReference(NDManager root) throws IOException {
        if (job.referenceEpochs() == 0 || job.evalSplits().isEmpty()) {
            return null;
        }
        listener.onMessage("base reference: " + BaseReference.DESCRIPTION);
        try (Classifier model = ModelLoader.load(job.baseConfig(), job.baseWeights(), job.seed(), root)) {
            EvaluationReport report = BaseReference.evaluate(model, job.trainData(), job.labels(), job.evalSplits(),
                    job.inputs(), job.hyperparameters().batchSize(), cancelRequested::getAsBoolean).report();
            listener.onEvaluation(report);
            return report;
        } catch (FeatureExtractor.CancelledException e) {
            throw new TrainingCancelledException(0);
        }
    }

    /** Scalars in the named tensors of the model. */
    public static long countParameters(Classifier model, List<String> names) {
        long total = 0;
        for (String name : names) {
            total += model.tensors().get(name).getShape().size();
        }
        return total;
    }

    /** The median (NaN for none), e.g. of step times. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
