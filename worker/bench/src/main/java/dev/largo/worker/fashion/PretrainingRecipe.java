package dev.largo.worker.fashion;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.MergedModelWriter;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.model.ModelInitializer;
import dev.largo.worker.engine.train.Hyperparameters;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import dev.largo.worker.engine.train.PreparedMethod;
import dev.largo.worker.engine.train.Trainer;
import dev.largo.worker.engine.train.TrainingListener;
import dev.largo.worker.engine.train.TrainingPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the built-in base model {@code vit-tiny-fashion} is made (BENCHMARKS.md, protocol step 1): a fresh ViT
 * (Hugging Face init, seeded) trained from scratch with the engine's own full-training path (the
 * {@link Trainer} with method {@code full}: AdamW, cosine schedule with warm-up, gradient clipping) on all
 * 30,000 training images of Fashion-MNIST classes 0-4, each in a style drawn from all six.
 *
 * <p>Every random choice derives from {@link #SEED} and {@link FashionShift#DATA_SEED}. With the same
 * libtorch kernels (same intra-op thread count and CPU capability, see {@link PretrainBaseModel}) a rebuild is
 * bit-for-bit identical.
 */
public final class PretrainingRecipe {

    /** Seeds the weights' init and the batch order. */
    public static final long SEED = 1;
    public static final int EPOCHS = 6;
    public static final int BATCH_SIZE = 64;
    public static final double LEARNING_RATE = 1e-3;
    public static final double WEIGHT_DECAY = 0.05;
    public static final double WARMUP_RATIO = 0.1;
    public static final double GRAD_CLIP = 1.0;

    /**
     * The architecture, as Hugging Face's {@code ViTConfig} writes it: width 96, depth 4, 4 heads, MLP 384,
     * 28x28 grayscale in 7x7 patches (16 patches + CLS), no dropout. Labels are filled in from the data.
     */
    static final String ARCHITECTURE_JSON = """
            {
              "architectures": ["ViTForImageClassification"],
              "model_type": "vit",
              "hidden_size": 96,
              "num_hidden_layers": 4,
              "num_attention_heads": 4,
              "intermediate_size": 384,
              "hidden_act": "gelu",
              "hidden_dropout_prob": 0.0,
              "attention_probs_dropout_prob": 0.0,
              "initializer_range": 0.02,
              "layer_norm_eps": 1e-12,
              "image_size": 28,
              "patch_size": 7,
              "num_channels": 1,
              "qkv_bias": true,
              "encoder_stride": 7,
              "torch_dtype": "float32"
            }
            """;

    private PretrainingRecipe() {
    }

    /** The base model's config: {@link #ARCHITECTURE_JSON} with the pretraining classes as labels. */
    public static ModelConfig config() {
        return ModelConfig.parse(ARCHITECTURE_JSON).withLabels(BuiltinAssets.PRETRAIN_CLASS_NAMES);
    }

    public static Hyperparameters hyperparameters() {
        return new Hyperparameters(EPOCHS, BATCH_SIZE, LEARNING_RATE, WEIGHT_DECAY, WARMUP_RATIO, GRAD_CLIP, 0,
                EPOCHS, EPOCHS);
    }

    /** The normalisation the engine applies by default (Hugging Face ViT: mean 0.5, std 0.5). */
    public static ImageBatcher batcher(ModelConfig config) {
        return new ImageBatcher(config.imageSize(), config.imageSize(), config.numChannels(),
                ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
    }

    /**
     * Trains the base model and writes {@code config.json} and {@code model.safetensors} into {@code out}.
     *
     * @return accuracy of the trained model on the test images of classes 0-4, per style
     */
    public static Map<Style, Double> run(FashionShift shift, Path out, TrainingListener listener) throws IOException {
        ModelConfig config = config();
        ImageDataset data = shift.pretrainingSet();
        ImageBatcher batcher = batcher(config);
        MethodConfig method = MethodConfig.defaults(MethodType.FULL);
        try (NDManager root = NDManager.newBaseManager();
             ImageClassifier model = ModelInitializer.randomModel(config, SEED, DataType.FLOAT32, root)) {
            PreparedMethod prepared = PreparedMethod.describe(model, MethodType.FULL, Map.of());
            TrainingPlan plan = new TrainingPlan(model, method, prepared, hyperparameters(), data, batcher, SEED);
            try (Trainer trainer = new Trainer(plan, listener, () -> false, (t, epoch) -> { })) {
                trainer.run();
            }
            MergedModelWriter.write(model, out);
            Evaluator evaluator = new Evaluator(batcher, 256);
            Map<Style, Double> accuracy = new LinkedHashMap<>();
            for (Style style : Style.values()) {
                accuracy.put(style, evaluator.evaluate(model, shift.pretrainingTest(style)).accuracy());
            }
            return accuracy;
        }
    }
}
