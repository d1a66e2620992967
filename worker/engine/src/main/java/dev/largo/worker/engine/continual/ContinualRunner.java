package dev.largo.worker.engine.continual;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.eval.EvaluationReport;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.export.PeftExporter;
import dev.largo.worker.engine.model.Classifier;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.model.ModelRegistry;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.support.Seeds;
import dev.largo.worker.engine.train.Checkpoint;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.JobRunner;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.StepProgress;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingCancelledException;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.engine.train.TrainingPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs a continual job end to end (worker/engine/docs/gorp.md §4): one model, the tasks in order, each trained
 * by a {@link Trainer} with its own seeded batch order, schedule and optimizer; after each task every task's
 * splits are evaluated (the accuracy-matrix row, forward transfer included), the model is exported, and an
 * end-of-task checkpoint holds the whole state. Joint (the multi-task upper bound) trains once on every
 * task's data and fills only the last row.
 *
 * <p>Work directory: {@code checkpoints/task-NN-epoch-EEE.safetensors} (mid-task, every
 * {@code checkpoint_every_epochs}), {@code checkpoints/task-NN-step-SSSSSSSSS.safetensors} (where a cancelled
 * run stopped), {@code checkpoints/task-NN-end.safetensors}, and per task {@code tasks/NN/adapter.zip} and
 * {@code tasks/NN/merged/}.
 */
public final class ContinualRunner {

    static final String TASK_KEY = "continual_task";
    static final String TASK_DONE_KEY = "continual_task_done";
    static final String ROWS_KEY = "continual_rows";
    static final String NAMES_KEY = "continual_task_names";

    private final ContinualJob job;
    private final Path workDirectory;
    private final ContinualListener listener;
    private final BooleanSupplier cancelRequested;
    private final Device device;

    /** @param device where the tensors live; null: DJL's default */
    public ContinualRunner(ContinualJob job, Path workDirectory, ContinualListener listener,
                           BooleanSupplier cancelRequested, Device device) {
        this.job = job;
        this.workDirectory = workDirectory;
        this.listener = listener;
        this.cancelRequested = cancelRequested;
        this.device = device;
    }

    /**
     * @param resumeFrom null, or a checkpoint written by this runner (mid-task or end of a task). A job whose
     *     task list extends the one the checkpoint was written for (same tasks first, more after) goes on after
     *     the checkpoint's last finished task: the config hash covers the method, hyper-parameters, seed and
     *     the tasks up to the checkpoint's, not the ones still to come.
     * @throws TrainingCancelledException when cancellation was requested (the state is checkpointed first)
     * @throws dev.largo.worker.engine.train.NonFiniteLossException when the loss diverged
     */
    public ContinualResult run(Path resumeFrom) throws IOException {
        Files.createDirectories(workDirectory.resolve("checkpoints"));
        int taskCount = job.tasks().size();
        boolean joint = job.method() == ContinualMethod.JOINT;
        int firstTask = joint ? taskCount - 1 : 0;
        Hyperparameters hyper = job.hyperparameters();
        Evaluator evaluator = new Evaluator(job.inputs(), hyper.batchSize());
        List<String> names = job.tasks().stream().map(ContinualTask::name).toList();
        List<double[]> rows = new ArrayList<>();
        List<TaskOutcome> outcomes = new ArrayList<>();
        List<Double> stepMillis = new ArrayList<>();
        long trainableParameters = 0;
        try (NDManager root = device == null ? NDManager.newBaseManager() : NDManager.newBaseManager(device)) {
            Checkpoint.Data resume = null;
            int startTask = firstTask;
            int resumedTask = firstTask;
            boolean resumeMidTask = false;
            if (resumeFrom != null) {
                resume = Checkpoint.read(resumeFrom, root);
                int task = Integer.parseInt(require(resume, TASK_KEY));
                boolean done = Boolean.parseBoolean(require(resume, TASK_DONE_KEY));
                if (task >= taskCount || (joint && task != taskCount - 1)) {
                    throw new IllegalStateException("the checkpoint is of task " + task + " (" + resume.extra().get(NAMES_KEY)
                            + "); this job has " + taskCount + " tasks" + (joint ? " and joint continues nothing" : ""));
                }
                Checkpoint.verify(resume, configHash(task + 1));
                rows.addAll(storedRows(resume, taskCount));
                resumedTask = task;
                startTask = done ? task + 1 : task;
                resumeMidTask = !done;
                listener.onMessage("resuming after task " + task + (done ? " (finished)" : " (epoch " + resume.epochsDone()
                        + ", step " + resume.step() + ")"));
            }
            try (Classifier model = taskModel(root)) {
                ContinualStrategy strategy = strategy();
                strategy.prepare(model, resume, resumedTask);
                if (resume != null) {
                    Checkpoint.restoreParams(model, resume, strategy.prepared().trainable());
                }
                for (int t = startTask; t < taskCount; t++) {
                    ContinualTask task = job.tasks().get(t);
                    strategy.startTask(t);
                    listener.onTaskStart(t, joint ? "joint" : task.name());
                    String hash = configHash(t + 1);
                    Map<String, String> extra = extras(t, false, rows, names);
                    int taskIndex = t;
                    long[] lastCheckpointStep = {0};
                    Trainer.EpochEndHook hook = (trainer, epoch) -> {
                        if (epoch < hyper.totalEpochs() && epoch % hyper.checkpointEveryEpochs() == 0) {
                            Path file = checkpointFile(taskIndex, String.format("epoch-%03d", epoch));
                            write(trainer, file, hash, extra, strategy);
                            lastCheckpointStep[0] = trainer.step();
                            listener.onCheckpoint(epoch, trainer.step(), file);
                        }
                    };
                    LabelledData data = joint ? job.inputs().concat(job.tasks().stream()
                            .map(ContinualTask::trainData).toList()) : task.trainData();
                    TrainingPlan plan = new TrainingPlan(model, strategy.methodConfig(), strategy.prepared(), hyper,
                            data, job.inputs(), Seeds.derive(job.seed(), "task:" + t), strategy.optimizers());
                    Trainer trainer = new Trainer(plan, timing(stepMillis), cancelRequested, hook);
                    try (trainer) {
                        if (resumeMidTask && t == startTask) {
                            Checkpoint.restore(trainer, resume, hash);
                            lastCheckpointStep[0] = trainer.step();
                        }
                        try {
                            trainer.run();
                        } catch (TrainingCancelledException e) {
                            if (trainer.step() > lastCheckpointStep[0]) {
                                Path file = checkpointFile(t, String.format("step-%09d", trainer.step()));
                                write(trainer, file, hash, extra, strategy);
                                listener.onCheckpoint(trainer.epochsDone(), trainer.step(), file);
                            }
                            throw e;
                        }
                        strategy.endTask(trainer);
                        trainableParameters = JobRunner.countParameters(model, strategy.prepared().trainable());

                        List<EvaluationReport> reports = new ArrayList<>();
                        double[] row = new double[taskCount];
                        for (int i = 0; i < taskCount; i++) {
                            EvaluationReport report = evaluator.evaluate(model, job.tasks().get(i).evalSplits(),
                                    trainer.epochsDone(), trainer.step(), EvaluationReport.FINE_TUNED);
                            reports.add(report);
                            listener.onEvaluation(report);
                            row[i] = taskAccuracy(report);
                        }
                        while (rows.size() < t) {
                            rows.add(nanRow(taskCount));
                        }
                        rows.add(row);

                        Path taskDirectory = workDirectory.resolve("tasks").resolve(String.format("%02d", t));
                        listener.onMessage("exporting the model after task " + t + " (" + task.name() + ")");
                        Path zip = taskDirectory.resolve("adapter.zip");
                        PeftExporter.export(model, strategy.loraTargets(), savedModules(strategy, model), job.baseModelName(),
                                job.method().id(), zip);
                        Path merged = taskDirectory.resolve("merged");
                        MergedModelWriter.write(model, merged);

                        Path end = checkpointFile(t, "end");
                        write(trainer, end, hash, extras(t, true, rows, names), strategy);
                        listener.onCheckpoint(trainer.epochsDone(), trainer.step(), end);
                        TaskOutcome outcome = new TaskOutcome(t, joint ? "joint" : task.name(), row, reports, end, zip,
                                merged);
                        outcomes.add(outcome);
                        listener.onTaskEnd(outcome);
                    }
                }
            }
        }
        return new ContinualResult(new AccuracyMatrix(names, rows.toArray(double[][]::new)), outcomes,
                trainableParameters, JobRunner.median(stepMillis));
    }

    private ContinualStrategy strategy() {
        if (job.method() == ContinualMethod.GORP) {
            return new GorpStrategy(job.gorp(), job.seed());
        }
        return new SequentialStrategy(MethodConfig.defaults(job.method().singleTaskType(),
                ModelRegistry.of(job.baseConfig()).defaultLoraTargets()), job.seed());
    }

    /** The method's full-rank modules and the model's newly initialised ones (a text encoder's pooler). */
    private static List<String> savedModules(ContinualStrategy strategy, Classifier model) {
        List<String> saved = new ArrayList<>(strategy.savedModules());
        model.savedModules().stream().filter(module -> !saved.contains(module)).forEach(saved::add);
        return saved;
    }

    /** The base model with the tasks' head (a new seeded head unless the base model has exactly these labels). */
    private Classifier taskModel(NDManager root) throws IOException {
        Classifier model = ModelLoader.load(job.baseConfig(), job.baseWeights(), job.seed(), root);
        if (!model.config().labels().equals(job.labels())) {
            model.replaceHead(job.labels(), job.seed());
        }
        return model;
    }

    /**
     * The hash of the job's first {@code tasks} tasks: the single-task hash of each task's training (base model,
     * data, method, hyper-parameters, seed) plus the continual method and its settings.
     */
    String configHash(int tasks) throws IOException {
        return ContinualConfigHash.of(job, tasks, strategy().methodConfig());
    }

    private void write(Trainer trainer, Path file, String hash, Map<String, String> extra, ContinualStrategy strategy) {
        try (NDManager scratch = trainer.model().manager().newSubManager()) {
            Map<String, NDArray> state = strategy.state(scratch);
            Checkpoint.write(trainer, file, hash, extra, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    private Path checkpointFile(int task, String what) {
        return workDirectory.resolve("checkpoints").resolve(String.format(Locale.ROOT, "task-%02d-%s.safetensors", task, what));
    }

    private static Map<String, String> extras(int task, boolean done, List<double[]> rows, List<String> names) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put(TASK_KEY, Integer.toString(task));
        extra.put(TASK_DONE_KEY, Boolean.toString(done));
        extra.put(ROWS_KEY, Json.MAPPER.writeValueAsString(rows.stream().map(row -> Arrays.stream(row)
                .mapToObj(value -> Double.isNaN(value) ? null : value).toList()).toList()));
        extra.put(NAMES_KEY, Json.MAPPER.writeValueAsString(names));
        return extra;
    }

    /** The rows a checkpoint carries, widened with NaN (never measured) to this job's task count. */
    private static List<double[]> storedRows(Checkpoint.Data data, int taskCount) {
        List<double[]> rows = new ArrayList<>();
        Double[][] stored = Json.MAPPER.readValue(require(data, ROWS_KEY), Double[][].class);
        for (Double[] values : stored) {
            double[] row = nanRow(taskCount);
            for (int i = 0; i < values.length && i < taskCount; i++) {
                row[i] = values[i] == null ? Double.NaN : values[i];
            }
            rows.add(row);
        }
        return rows;
    }

    private static String require(Checkpoint.Data data, String key) {
        String value = data.extra().get(key);
        if (value == null) {
            throw new IllegalArgumentException("not a continual checkpoint (no " + key + ")");
        }
        return value;
    }

    private static double[] nanRow(int size) {
        double[] row = new double[size];
        Arrays.fill(row, Double.NaN);
        return row;
    }

    /** A task's accuracy: the mean accuracy over its splits. */
    static double taskAccuracy(EvaluationReport report) {
        return report.splits().stream().mapToDouble(split -> split.metrics().accuracy()).average().orElse(Double.NaN);
    }

    private TrainingListener timing(List<Double> stepMillis) {
        return new TrainingListener() {
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
    }
}
