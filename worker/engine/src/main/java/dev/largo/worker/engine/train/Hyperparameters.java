package dev.largo.worker.engine.train;

import dev.largo.worker.engine.data.TextTokenizer;
import dev.largo.worker.engine.support.InvalidSettingException;
/**
 * Training hyper-parameters with every default resolved (field names follow the REST API's snake_case ones).
 *
 * @param epochs fine-tuning epochs, after the head warm-up
 * @param learningRate AdamW peak learning rate (both phases)
 * @param warmupRatio fraction of each phase's steps spent warming the learning rate up before cosine decay
 * @param gradClip global gradient-norm clip
 * @param headWarmupEpochs epochs that train only the head first (LP-FT), before {@code epochs}
 * @param evalEveryEpochs evaluate after every n-th epoch (and always after the last)
 * @param checkpointEveryEpochs checkpoint after every n-th epoch (and always after the last)
 * @param maxSeqLength a text model's tokens per row, special tokens included (longer texts are truncated; batches
 *     are padded to their own longest row); images ignore it
 */
public record Hyperparameters(int epochs, int batchSize, double learningRate, double weightDecay, double warmupRatio,
                              double gradClip, int headWarmupEpochs, int evalEveryEpochs, int checkpointEveryEpochs,
                              int maxSeqLength) {

    public static final int DEFAULT_EPOCHS = 3;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final double DEFAULT_WARMUP_RATIO = 0.1;
    public static final double DEFAULT_GRAD_CLIP = 1.0;
    public static final int DEFAULT_MAX_SEQ_LENGTH = TextTokenizer.DEFAULT_MAX_SEQ_LENGTH;
    /** BERT-family models have at most 512 positions; longer rows could not be read by any. */
    public static final int MAX_SEQ_LENGTH_LIMIT = 512;

    public Hyperparameters {
        require(epochs >= 1 && epochs <= 100, "hyperparameters.epochs",
                "hyperparameters.epochs must be in [1, 100], found " + epochs);
        require(batchSize >= 1 && batchSize <= 1024, "hyperparameters.batch_size",
                "hyperparameters.batch_size must be in [1, 1024], found " + batchSize);
        require(learningRate > 0 && learningRate <= 1, "hyperparameters.learning_rate",
                "hyperparameters.learning_rate must be in (0, 1], found " + learningRate);
        require(weightDecay >= 0 && weightDecay <= 1, "hyperparameters.weight_decay",
                "hyperparameters.weight_decay must be in [0, 1], found " + weightDecay);
        require(warmupRatio >= 0 && warmupRatio < 1, "hyperparameters.warmup_ratio",
                "hyperparameters.warmup_ratio must be in [0, 1), found " + warmupRatio);
        require(gradClip > 0 && !Double.isInfinite(gradClip), "hyperparameters.grad_clip",
                "hyperparameters.grad_clip must be positive, found " + gradClip);
        require(headWarmupEpochs >= 0 && headWarmupEpochs <= 100, "hyperparameters.head_warmup_epochs",
                "hyperparameters.head_warmup_epochs must be in [0, 100], found " + headWarmupEpochs);
        require(evalEveryEpochs >= 1, "hyperparameters.eval_every_epochs",
                "hyperparameters.eval_every_epochs must be at least 1, found " + evalEveryEpochs);
        require(checkpointEveryEpochs >= 1, "hyperparameters.checkpoint_every_epochs",
                "hyperparameters.checkpoint_every_epochs must be at least 1, found " + checkpointEveryEpochs);
        require(maxSeqLength >= 2 && maxSeqLength <= MAX_SEQ_LENGTH_LIMIT, "hyperparameters.max_seq_length",
                "hyperparameters.max_seq_length must be in [2, " + MAX_SEQ_LENGTH_LIMIT + "], found " + maxSeqLength);
    }

    /** Without {@code max_seq_length}: the default (128). */
    public Hyperparameters(int epochs, int batchSize, double learningRate, double weightDecay, double warmupRatio,
                           double gradClip, int headWarmupEpochs, int evalEveryEpochs, int checkpointEveryEpochs) {
        this(epochs, batchSize, learningRate, weightDecay, warmupRatio, gradClip, headWarmupEpochs, evalEveryEpochs,
                checkpointEveryEpochs, DEFAULT_MAX_SEQ_LENGTH);
    }

    /** The same with another {@code max_seq_length}. */
    public Hyperparameters withMaxSeqLength(int length) {
        return new Hyperparameters(epochs, batchSize, learningRate, weightDecay, warmupRatio, gradClip,
                headWarmupEpochs, evalEveryEpochs, checkpointEveryEpochs, length);
    }

    /** The worker/engine/docs/largo.md §3 defaults for a method. */
    public static Hyperparameters defaults(MethodType method) {
        return new Hyperparameters(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, method.defaultLearningRate(), 0,
                DEFAULT_WARMUP_RATIO, DEFAULT_GRAD_CLIP, 0, 1, 1);
    }

    /** All epochs of the run: head warm-up, then fine-tuning. */
    public int totalEpochs() {
        return headWarmupEpochs + epochs;
    }

    private static void require(boolean condition, String param, String message) {
        InvalidSettingException.require(condition, param, message);
    }
}
