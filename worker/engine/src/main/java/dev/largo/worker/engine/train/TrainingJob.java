package dev.largo.worker.engine.train;

import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.LabelledData;
import dev.largo.worker.engine.data.ModelInputs;
import dev.largo.worker.engine.eval.EvalSplit;
import dev.largo.worker.engine.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * One fine-tuning job, as the engine runs it (the worker builds it from the database, the CLI from
 * job.json), for a model of any modality: {@code inputs} (from the model's architecture,
 * {@code Architecture#inputs}) turns the data's rows into the model's input.
 *
 * @param baseModelName written to the adapter's {@code base_model_name_or_path}
 * @param baseConfig the base model's config.json
 * @param baseWeights the base model's model.safetensors
 * @param trainData the training split; its class names become the task's labels
 * @param evalSplits evaluated after every {@code eval_every_epochs} epochs and at the end
 * @param referenceEpochs 0 skips the base reference; any positive value computes it. (It once set the epochs of an
 *     SGD probe; the reference is now fitted to convergence, {@code reference.BaseReference}, so only zero matters.)
 * @param inputs the model's input preparation (image normalisation, or its tokenizer with {@code max_seq_length})
 */
public record TrainingJob(String baseModelName, ModelConfig baseConfig, Path baseWeights, LabelledData trainData,
                          List<EvalSplit> evalSplits, MethodConfig method, Hyperparameters hyperparameters, long seed,
                          int referenceEpochs, ModelInputs inputs) {

    public TrainingJob {
        evalSplits = List.copyOf(evalSplits);
        if (referenceEpochs < 0) {
            throw new IllegalArgumentException("reference epochs must be >= 0, found " + referenceEpochs);
        }
        if (trainData.classNames().size() < 2) {
            throw new IllegalArgumentException("the training dataset needs at least 2 classes, found "
                    + trainData.classNames().size());
        }
        if (inputs == null) {
            throw new IllegalArgumentException("a job needs its model's input preparation");
        }
    }

    /**
     * An image job with this per-channel normalisation ({@code (x / 255 - mean) / std}; Hugging Face ViT: 0.5, 0.5).
     */
    public TrainingJob(String baseModelName, ModelConfig baseConfig, Path baseWeights, LabelledData trainData,
                       List<EvalSplit> evalSplits, MethodConfig method, Hyperparameters hyperparameters, long seed,
                       int referenceEpochs, float[] imageMean, float[] imageStd) {
        this(baseModelName, baseConfig, baseWeights, trainData, evalSplits, method, hyperparameters, seed,
                referenceEpochs, ImageBatcher.of(baseConfig, imageMean, imageStd));
    }

    /** A positive value: the base reference is computed (the value itself no longer matters). */
    public static int defaultReferenceEpochs(Hyperparameters hyper) {
        return Math.max(3, Math.min(10, hyper.totalEpochs()));
    }

    /** The task's label names (the training dataset's classes). */
    public List<String> labels() {
        return trainData.classNames();
    }
}
