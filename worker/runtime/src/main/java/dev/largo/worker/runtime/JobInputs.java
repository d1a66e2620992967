package dev.largo.worker.runtime;

import dev.largo.db.artifacts.ArtifactNotFoundException;
import dev.largo.db.datasets.DatasetEntity;
import dev.largo.db.datasets.DatasetRepository;
import dev.largo.db.models.BaseModelEntity;
import dev.largo.db.models.BaseModelRepository;
import dev.largo.db.queue.ClaimedJob;
import dev.largo.worker.engine.data.DatasetLimits;
import dev.largo.worker.engine.continual.ContinualJob;
import dev.largo.worker.engine.continual.ContinualTask;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelInspector;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a claimed job into the engine's {@link TrainingJob}: stages the base model's weights and every
 * dataset from the artifact store into the attempt's directory, reads them, and checks that they fit together
 * before any training starts, so an incompatible job fails at once with an error naming the field to fix
 * instead of deep inside a training step.
 */
public class JobInputs {

    static final String BASE_MODEL = "base_model";
    static final String TRAINING_DATASET = "training_dataset";

    private final ArtifactStaging staging;
    private final BaseModelRepository models;
    private final DatasetRepository datasets;

    private final DatasetLimits limits;

    public JobInputs(ArtifactStaging staging, BaseModelRepository models, DatasetRepository datasets) {
        this(staging, models, datasets, DatasetLimits.DEFAULT);
    }

    /** @param limits the bounds the service validated the datasets within ({@code largo.limits.*}) */
    public JobInputs(ArtifactStaging staging, BaseModelRepository models, DatasetRepository datasets,
            DatasetLimits limits) {
        this.staging = staging;
        this.models = models;
        this.datasets = datasets;
        this.limits = limits;
    }

    /**
     * @param directory where the staged files go (the attempt's own directory)
     * @throws InvalidJobException if the model or a dataset is missing, unreadable or incompatible
     * @throws IOException if staging fails (infrastructure: the attempt is retried)
     */
    public TrainingJob prepare(ClaimedJob claimed, JobSpec spec, Path directory) throws IOException {
        StagedModel staged = stageModel(claimed, directory);
        BaseModelEntity model = staged.entity();
        ModelConfig config = staged.config();
        Path weights = staged.weights();

        Map<UUID, Loaded> read = new HashMap<>();
        ImageDataset train = training(claimed.trainingDatasetId(), claimed.tenantId(), TRAINING_DATASET, config, directory,
                read);
        List<EvalSplit> splits = evalSplits(spec.evaluationSplits(), "evaluation_splits", train, claimed.tenantId(),
                config, directory, read);
        try {
            return new TrainingJob(model.peftBaseName(), config, weights, train, splits, spec.method(), spec.hyperparameters(),
                    claimed.seed(), TrainingJob.defaultReferenceEpochs(spec.hyperparameters()),
                    ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, null, e.getMessage(), e);
        }
    }

    /**
     * The engine's {@link ContinualJob} for a continual job: the base model and every task's datasets staged and
     * checked like a single job's. Every task's evaluation splits are renumbered onto the first task's classes
     * (the tasks share one head).
     */
    public ContinualJob prepareContinual(ClaimedJob claimed, ContinualSpec spec, Path directory) throws IOException {
        StagedModel staged = stageModel(claimed, directory);
        Map<UUID, Loaded> read = new HashMap<>();
        List<ContinualTask> tasks = new ArrayList<>();
        List<String> classes = null;
        for (int t = 0; t < spec.tasks().size(); t++) {
            ContinualSpec.Task task = spec.tasks().get(t);
            String param = "tasks[" + t + "]";
            ImageDataset train = training(task.trainingDataset(), claimed.tenantId(), param + ".training_dataset",
                    staged.config(), directory, read);
            if (classes == null) {
                classes = train.classNames();
            } else {
                train = onTrainingLabels(train, classes, task.trainingDataset(), param + ".training_dataset");
            }
            tasks.add(new ContinualTask(task.name(), train, evalSplits(task.evaluationSplits(),
                    param + ".evaluation_splits", train, claimed.tenantId(), staged.config(), directory, read)));
        }
        try {
            return new ContinualJob(staged.entity().peftBaseName(), staged.config(), staged.weights(), tasks, spec.method(),
                    spec.gorp(), spec.hyperparameters(), claimed.seed());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, null, e.getMessage(), e);
        }
    }

    private record StagedModel(BaseModelEntity entity, ModelConfig config, Path weights) {
    }

    private StagedModel stageModel(ClaimedJob claimed, Path directory) throws IOException {
        BaseModelEntity model = models.findVisibleTo(claimed.baseModelId(), claimed.tenantId())
                .orElseThrow(() -> new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL,
                        "base model " + claimed.baseModelId() + " does not exist (deleted after the job was created?)"));
        ModelConfig config;
        Path weights;
        try {
            config = ModelConfig.parse(model.getConfigJson());
            if (model.getWeightsArtifactId() == null) {
                throw new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL,
                        "base model " + model.getId() + " has no weights in the artifact store");
            }
            weights = stage(model.getWeightsArtifactId(), directory.resolve("model.safetensors"), BASE_MODEL,
                    "the weights of base model " + model.getId());
            ModelInspector.inspect(model.getConfigJson(), weights);
        } catch (InvalidModelException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL, "base model " + model.getId()
                    + " (" + model.getName() + ") cannot be used: " + e.getMessage(), e);
        }
        return new StagedModel(model, config, weights);
    }

    /** A training dataset, staged, read and checked. */
    private ImageDataset training(UUID id, String tenantId, String param, ModelConfig config, Path directory,
            Map<UUID, Loaded> read) throws IOException {
        ImageDataset train = dataset(id, tenantId, param, directory, read).data();
        requireUsableTraining(train, id, param);
        requireChannels(train, config, id, param);
        return train;
    }

    /** Evaluation splits, staged, read, checked and renumbered onto {@code train}'s classes. */
    private List<EvalSplit> evalSplits(List<JobSpec.EvaluationSplit> given, String field, ImageDataset train,
            String tenantId, ModelConfig config, Path directory, Map<UUID, Loaded> read) throws IOException {
        List<EvalSplit> splits = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            JobSpec.EvaluationSplit split = given.get(i);
            String param = field + "[" + i + "].dataset";
            Loaded loaded = dataset(split.dataset(), tenantId, param, directory, read);
            requireChannels(loaded.data(), config, split.dataset(), param);
            splits.add(new EvalSplit(split.dataset().toString(), split.kind(), domain(split, loaded.entity()),
                    onTrainingLabels(loaded.data(), train.classNames(), split.dataset(), param)));
        }
        return splits;
    }

    private record Loaded(DatasetEntity entity, ImageDataset data) {
    }

    /** The spec's domain, else the dataset's domain tag, else {@code in_domain} / {@code ood} (as the service does). */
    private static String domain(JobSpec.EvaluationSplit split, DatasetEntity dataset) {
        if (split.domain() != null) {
            return split.domain();
        }
        if (dataset.getDomain() != null) {
            return dataset.getDomain();
        }
        return split.kind() == SplitKind.ID ? "in_domain" : "ood";
    }

    private Loaded dataset(UUID id, String tenantId, String param, Path directory, Map<UUID, Loaded> read)
            throws IOException {
        Loaded cached = read.get(id);
        if (cached != null) {
            return cached;
        }
        DatasetEntity dataset = datasets.findVisibleTo(id, tenantId)
                .orElseThrow(() -> new InvalidJobException(InvalidJobException.INVALID_DATASET, param,
                        "dataset " + id + " does not exist (deleted after the job was created?)"));
        Path file = stage(dataset.getArtifactId(), directory.resolve("dataset-" + id), param, "dataset " + id);
        Loaded loaded = new Loaded(dataset, DatasetFiles.readImages(dataset, file, param, limits));
        read.put(id, loaded);
        return loaded;
    }

    private Path stage(UUID artifactId, Path target, String param, String what) throws IOException {
        try {
            return staging.stage(artifactId, target);
        } catch (ArtifactNotFoundException e) {
            throw new InvalidJobException(BASE_MODEL.equals(param) ? InvalidJobException.INVALID_MODEL
                    : InvalidJobException.INVALID_DATASET, param, "the file of " + what + " is missing from the artifact store", e);
        }
    }

    private static void requireUsableTraining(ImageDataset train, UUID id, String param) {
        long present = Arrays.stream(train.labels()).distinct().count();
        if (train.classNames().size() < 2 || present < 2) {
            throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "training dataset " + id
                    + " has examples of " + present + " class(es) " + train.classNames()
                    + "; a classifier needs at least 2 classes to learn anything");
        }
    }

    /** The batcher feeds a model its own channel count; only grayscale into an RGB model is converted. */
    private static void requireChannels(ImageDataset data, ModelConfig config, UUID id, String param) {
        int model = config.numChannels();
        if (data.channels() != model && !(data.channels() == 1 && model == 3)) {
            throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "dataset " + id + " has "
                    + data.channels() + "-channel images but the base model takes " + model + "-channel images ("
                    + data.height() + "x" + data.width() + "x" + data.channels() + " vs " + config.imageSize() + "x"
                    + config.imageSize() + "x" + model + "); only grayscale images are converted for an RGB model");
        }
    }

    /**
     * The split with its labels renumbered onto the training dataset's classes, by name: an evaluation split
     * may lack some classes (an image-folder zip numbers only the folders it has), and its label 2 must mean
     * the same class as the training set's label 2.
     */
    private static ImageDataset onTrainingLabels(ImageDataset data, List<String> trainingClasses, UUID id, String param) {
        if (data.classNames().equals(trainingClasses)) {
            return data;
        }
        int[] mapping = new int[data.classNames().size()];
        for (int i = 0; i < mapping.length; i++) {
            mapping[i] = trainingClasses.indexOf(data.classNames().get(i));
        }
        int[] labels = new int[data.count()];
        for (int n = 0; n < labels.length; n++) {
            int mapped = mapping[data.labels()[n]];
            if (mapped < 0) {
                throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "evaluation dataset " + id
                        + " has examples of class \"" + data.classNames().get(data.labels()[n])
                        + "\", which the training dataset does not have (its classes: " + trainingClasses + ")");
            }
            labels[n] = mapped;
        }
        return new ImageDataset(data.count(), data.height(), data.width(), data.channels(), data.pixels(), labels,
                trainingClasses);
    }
}
