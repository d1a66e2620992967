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
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.InvalidDatasetException;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.eval.SplitKind;
import dev.largo.worker.engine.model.InputSettings;
import dev.largo.worker.engine.model.InvalidModelException;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelInspector;
import dev.largo.worker.engine.model.ModelRegistry;
import dev.largo.worker.engine.model.bert.BertModels;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.TrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a claimed job into the engine's {@link TrainingJob}: stages the base model's folder (weights, and a text
 * model's {@code tokenizer.json} and {@code tokenizer_config.json}) and every dataset from the artifact store into
 * the attempt's directory, reads them (images or texts), builds the model's input preparation (image
 * normalisation, or its tokenizer at the job's {@code max_seq_length}), and checks that they fit together before any
 * training starts, so an incompatible job fails at once with an error naming the field to fix instead of deep
 * inside a training step.
 */
public class JobInputs {

    static final String BASE_MODEL = "base_model";
    static final String TRAINING_DATASET = "training_dataset";
    /** The staged base model's folder in the attempt's directory. */
    static final String MODEL_FOLDER = "model";

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
        StagedModel staged = stageModel(claimed, directory, spec.hyperparameters());
        BaseModelEntity model = staged.entity();
        ModelConfig config = staged.config();

        Map<UUID, Loaded> read = new HashMap<>();
        LabelledData train = training(claimed.trainingDatasetId(), claimed.tenantId(), TRAINING_DATASET, staged,
                directory, read);
        List<EvalSplit> splits = evalSplits(spec.evaluationSplits(), "evaluation_splits", train, claimed.tenantId(),
                staged, directory, read);
        try {
            return new TrainingJob(model.peftBaseName(), config, staged.weights(), train, splits, spec.method(),
                    spec.hyperparameters(), claimed.seed(), TrainingJob.defaultReferenceEpochs(spec.hyperparameters()),
                    staged.inputs());
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
        StagedModel staged = stageModel(claimed, directory, spec.hyperparameters());
        Map<UUID, Loaded> read = new HashMap<>();
        List<ContinualTask> tasks = new ArrayList<>();
        List<String> classes = null;
        for (int t = 0; t < spec.tasks().size(); t++) {
            ContinualSpec.Task task = spec.tasks().get(t);
            String param = "tasks[" + t + "]";
            LabelledData train = training(task.trainingDataset(), claimed.tenantId(), param + ".training_dataset",
                    staged, directory, read);
            if (classes == null) {
                classes = train.classNames();
            } else {
                train = onTrainingLabels(train, classes, task.trainingDataset(), param + ".training_dataset");
            }
            tasks.add(new ContinualTask(task.name(), train, evalSplits(task.evaluationSplits(),
                    param + ".evaluation_splits", train, claimed.tenantId(), staged, directory, read)));
        }
        try {
            return new ContinualJob(staged.entity().peftBaseName(), staged.config(), staged.weights(), tasks, spec.method(),
                    spec.gorp(), spec.hyperparameters(), claimed.seed(), staged.inputs());
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_SPEC, null, e.getMessage(), e);
        }
    }

    /**
     * The base model as staged: its folder ({@code model/} of the attempt's directory, where a text model's
     * tokenizer files lie beside the weights, so the merged download can carry them) and its input preparation.
     */
    record StagedModel(BaseModelEntity entity, ModelConfig config, Path folder, Path weights, ModelInputs inputs) {
    }

    private StagedModel stageModel(ClaimedJob claimed, Path directory, Hyperparameters hyperparameters)
            throws IOException {
        BaseModelEntity model = models.findVisibleTo(claimed.baseModelId(), claimed.tenantId())
                .orElseThrow(() -> new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL,
                        "base model " + claimed.baseModelId() + " does not exist (deleted after the job was created?)"));
        Path folder = Files.createDirectories(directory.resolve(MODEL_FOLDER));
        try {
            ModelConfig config = ModelConfig.parse(model.getConfigJson());
            if (model.getWeightsArtifactId() == null) {
                throw new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL,
                        "base model " + model.getId() + " has no weights in the artifact store");
            }
            Path weights = stage(model.getWeightsArtifactId(), folder.resolve(BertModels.WEIGHTS), BASE_MODEL,
                    "the weights of base model " + model.getId());
            if (model.getTokenizerArtifactId() != null) {
                stage(model.getTokenizerArtifactId(), folder.resolve(BertModels.TOKENIZER), BASE_MODEL,
                        "the tokenizer.json of base model " + model.getId());
            }
            if (model.getTokenizerConfigArtifactId() != null) {
                stage(model.getTokenizerConfigArtifactId(), folder.resolve(BertModels.TOKENIZER_CONFIG), BASE_MODEL,
                        "the tokenizer_config.json of base model " + model.getId());
            }
            ModelInspector.inspect(model.getConfigJson(), weights);
            InputSettings settings = InputSettings.defaults(folder).withMaxSeqLength(hyperparameters.maxSeqLength());
            ModelInputs inputs = ModelRegistry.of(config).inputs(config, settings);
            return new StagedModel(model, config, folder, weights, inputs);
        } catch (InvalidModelException e) {
            throw new InvalidJobException(InvalidJobException.INVALID_MODEL, BASE_MODEL, "base model " + model.getId()
                    + " (" + model.getName() + ") cannot be used: " + e.getMessage(), e);
        }
    }

    /** A training dataset, staged, read and checked. */
    private LabelledData training(UUID id, String tenantId, String param, StagedModel model, Path directory,
            Map<UUID, Loaded> read) throws IOException {
        Loaded loaded = dataset(id, tenantId, param, directory, read);
        requireModality(loaded.entity(), model, param);
        LabelledData train = loaded.data();
        requireUsableTraining(train, id, param);
        requireChannels(train, model.config(), id, param);
        return train;
    }

    /** Evaluation splits, staged, read, checked and renumbered onto {@code train}'s classes. */
    private List<EvalSplit> evalSplits(List<JobSpec.EvaluationSplit> given, String field, LabelledData train,
            String tenantId, StagedModel model, Path directory, Map<UUID, Loaded> read) throws IOException {
        List<EvalSplit> splits = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            JobSpec.EvaluationSplit split = given.get(i);
            String param = field + "[" + i + "].dataset";
            Loaded loaded = dataset(split.dataset(), tenantId, param, directory, read);
            requireModality(loaded.entity(), model, param);
            requireChannels(loaded.data(), model.config(), split.dataset(), param);
            splits.add(new EvalSplit(split.dataset().toString(), split.kind(), domain(split, loaded.entity()),
                    onTrainingLabels(loaded.data(), train.classNames(), split.dataset(), param)));
        }
        return splits;
    }

    private record Loaded(DatasetEntity entity, LabelledData data) {
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
        Loaded loaded = new Loaded(dataset, DatasetFiles.read(dataset, file, param, limits));
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

    /** A text model reads texts, an image model images (the service checks this at creation; a job may predate it). */
    private static void requireModality(DatasetEntity dataset, StagedModel model, String param) {
        if (dataset.getTaskType() != model.entity().getArchitecture().taskType()) {
            throw new InvalidJobException(InvalidJobException.UNSUPPORTED_TASK, param, "dataset " + dataset.getId()
                    + " is a " + dataset.getTaskType().wireValue() + " dataset, but base model " + model.entity().getId()
                    + " (" + model.entity().getArchitecture().wireValue() + ") is for "
                    + model.entity().getArchitecture().taskType().wireValue());
        }
    }

    private static void requireUsableTraining(LabelledData train, UUID id, String param) {
        long present = Arrays.stream(train.labels()).distinct().count();
        if (train.classNames().size() < 2 || present < 2) {
            throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "training dataset " + id
                    + " has examples of " + present + " class(es) " + train.classNames()
                    + "; a classifier needs at least 2 classes to learn anything");
        }
    }

    /** The batcher feeds a model its own channel count; only grayscale into an RGB model is converted. */
    private static void requireChannels(LabelledData labelled, ModelConfig config, UUID id, String param) {
        if (!(labelled instanceof ImageDataset data)) {
            return;
        }
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
    private static LabelledData onTrainingLabels(LabelledData labelled, List<String> trainingClasses, UUID id,
            String param) {
        if (labelled.classNames().equals(trainingClasses)) {
            return labelled;
        }
        if (labelled instanceof TextDataset texts) {
            try {
                return texts.onClasses(trainingClasses);
            } catch (InvalidDatasetException e) {
                throw new InvalidJobException(InvalidJobException.INVALID_DATASET, param, "evaluation dataset " + id
                        + ", " + e.getMessage() + " (its classes: " + trainingClasses + ")", e);
            }
        }
        ImageDataset data = (ImageDataset) labelled;
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
