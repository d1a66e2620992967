package dev.largo.worker.runtime.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.largo.worker.engine.data.ImageBatcher;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.eval.Evaluator;
import dev.largo.worker.engine.export.PeftAdapterLoader;
import dev.largo.worker.engine.model.ImageClassifier;
import dev.largo.worker.engine.model.ModelLoader;
import dev.largo.worker.engine.io.DType;
import dev.largo.worker.engine.io.SafeTensors;
import dev.largo.worker.engine.io.SafeTensorsFile;
import dev.largo.worker.engine.io.TensorInfo;
import dev.largo.worker.engine.model.ModelConfig;
import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.testing.TinyModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A tiny model and task for worker tests (here and the service's multi-process end-to-end test): small
 * enough that a job trains in seconds on two cores, real enough that every part of the pipeline runs.
 */
public final class TinyJobs {

    /** A trainable grayscale ViT: 8x8x1 images, patch 4 (4 patches + CLS), width 16, 2 heads, 2 blocks. */
    public static final String TINY_VIT_CONFIG = """
            {"model_type":"vit","architectures":["ViTForImageClassification"],"hidden_size":16,"num_hidden_layers":2,
             "num_attention_heads":2,"intermediate_size":32,"hidden_act":"gelu","image_size":8,"patch_size":4,
             "num_channels":1,"qkv_bias":true,"layer_norm_eps":1e-12,
             "id2label":{"0":"p0","1":"p1","2":"p2","3":"p3"}}""";

    public static final List<String> CLASSES = List.of("class0", "class1", "class2", "class3");

    private TinyJobs() {
    }

    public static ModelConfig tinyVit() {
        return ModelConfig.parse(TINY_VIT_CONFIG);
    }

    /** Random weights (seeded) for {@link #TINY_VIT_CONFIG}, as model.safetensors. */
    public static void writeTinyVitWeights(long seed, Path file) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TinyModels.randomTensors(tinyVit(), seed, 0.2, DataType.FLOAT32, manager);
            SafeTensors.writeNDArrays(file, tensors, Map.of());
        }
    }

    /**
     * A separable task of up to 4 classes: class c brightens quadrant c of a noisy 8x8 image.
     *
     * @param channels 1 (grayscale) or 3 (the same image in every channel)
     */
    public static ImageDataset quadrants(int count, int classes, int channels, long seed) {
        if (classes < 1 || classes > 4) {
            throw new IllegalArgumentException("1 to 4 classes, got " + classes);
        }
        Random random = new Random(seed);
        int size = 8;
        int half = size / 2;
        byte[] pixels = new byte[count * size * size * channels];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int label = n % classes;
            labels[n] = label;
            int rowStart = (label / 2) * half;
            int colStart = (label % 2) * half;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean inside = y >= rowStart && y < rowStart + half && x >= colStart && x < colStart + half;
                    int value = inside ? 150 + random.nextInt(100) : random.nextInt(110);
                    for (int c = 0; c < channels; c++) {
                        pixels[((n * size + y) * size + x) * channels + c] = (byte) value;
                    }
                }
            }
        }
        return new ImageDataset(count, size, size, channels, pixels, labels, CLASSES.subList(0, classes));
    }

    /**
     * A job request in the REST contract's JSON (also what the service stores as the job's spec, defaults
     * filled in): LoRA rank 4 on query, value and the dense layers, one epoch of evaluation and checkpoint
     * cadence.
     *
     * @param splits evaluation dataset id to kind ("id" / "ood"), in order
     */
    public static String jobRequest(String modelId, String trainingDataset, Map<String, String> splits, String method,
            int epochs, int batchSize, double learningRate, long seed) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("base_model", modelId);
        spec.put("training_dataset", trainingDataset);
        List<Map<String, Object>> evaluation = new ArrayList<>();
        splits.forEach((id, kind) -> {
            Map<String, Object> split = new LinkedHashMap<>();
            split.put("dataset", id);
            split.put("kind", kind);
            evaluation.add(split);
        });
        spec.put("evaluation_splits", evaluation);
        Map<String, Object> methodNode = new LinkedHashMap<>();
        methodNode.put("type", method);
        if (method.equals("lora") || method.equals("pissa") || method.equals("largo")) {
            methodNode.put("lora", Map.of("r", 4, "alpha", 8.0, "target_modules", List.of("query", "value", "dense"),
                    "init", method.equals("lora") ? "gaussian" : "svd_principal"));
        }
        if (method.equals("largo") || method.equals("ftp")) {
            methodNode.put("largo", Map.of("kappa", 1.0, "mu", 0.01, "norm", "l1_row", "gamma_init", 1e-8));
        }
        spec.put("method", methodNode);
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("epochs", epochs);
        hyper.put("batch_size", batchSize);
        hyper.put("learning_rate", learningRate);
        hyper.put("weight_decay", 0.0);
        hyper.put("warmup_ratio", 0.1);
        hyper.put("grad_clip", 1.0);
        hyper.put("head_warmup_epochs", 0);
        hyper.put("eval_every_epochs", 1);
        hyper.put("checkpoint_every_epochs", 1);
        spec.put("hyperparameters", hyper);
        spec.put("seed", seed);
        return Json.MAPPER.writeValueAsString(spec);
    }

    /**
     * The accuracy of the base model with a downloaded PEFT adapter zip applied, on {@code split}: what a user
     * gets who loads the adapter onto the original base model.
     */
    public static double idAccuracy(Path baseWeights, Path adapterZip, ImageDataset split, int batchSize)
            throws IOException {
        ModelConfig config = tinyVit();
        try (NDManager manager = NDManager.newBaseManager();
                ImageClassifier model = ModelLoader.loadImage(config, baseWeights, manager)) {
            PeftAdapterLoader.apply(model, adapterZip);
            ImageBatcher batcher = new ImageBatcher(config.imageSize(), config.imageSize(), config.numChannels(),
                    ImageBatcher.DEFAULT_MEAN, ImageBatcher.DEFAULT_STD);
            return new Evaluator(batcher, batchSize).evaluate(model, split).accuracy();
        }
    }

    /** The float tensors of a PEFT zip's adapter_model.safetensors, by key. */
    public static Map<String, float[]> adapterTensors(Path zip) throws IOException {
        Path weights = Files.createTempFile("adapter", ".safetensors");
        try {
            boolean found = false;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                    if (entry.getName().equals("adapter_model.safetensors")) {
                        Files.copy(in, weights, StandardCopyOption.REPLACE_EXISTING);
                        found = true;
                    }
                }
            }
            if (!found) {
                throw new IOException(zip + " holds no adapter_model.safetensors");
            }
            Map<String, float[]> tensors = new TreeMap<>();
            try (SafeTensorsFile file = SafeTensors.open(weights)) {
                for (TensorInfo info : file.header().tensors().values()) {
                    if (info.dtype() != DType.F32) {
                        throw new IOException("tensor " + info.name() + " is " + info.dtype() + ", expected F32");
                    }
                    ByteBuffer bytes = ByteBuffer.wrap(file.readBytes(info.name())).order(ByteOrder.LITTLE_ENDIAN);
                    float[] values = new float[bytes.remaining() / 4];
                    bytes.asFloatBuffer().get(values);
                    tensors.put(info.name(), values);
                }
            }
            return tensors;
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    /** The largest |a - b| over all tensors; fails unless both hold the same keys and shapes. */
    public static double maxAbsDifference(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new AssertionError("adapters hold different tensors: " + a.keySet() + " vs " + b.keySet());
        }
        double max = 0;
        for (String key : a.keySet()) {
            float[] x = a.get(key);
            float[] y = b.get(key);
            if (x.length != y.length) {
                throw new AssertionError(key + " has " + x.length + " vs " + y.length + " values");
            }
            for (int i = 0; i < x.length; i++) {
                max = Math.max(max, Math.abs((double) x[i] - y[i]));
            }
        }
        return max;
    }

    /** Copies a stream to a file (downloads). */
    public static Path save(InputStream in, Path file) throws IOException {
        try (in) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
