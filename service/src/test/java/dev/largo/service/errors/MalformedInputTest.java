package dev.largo.service.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import ai.djl.ndarray.types.Shape;

import dev.largo.service.testsupport.BadFiles;
import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;
import dev.largo.service.testsupport.ServiceIntegrationTest;

/**
 * The malformed-input suite: every bad dataset upload, model registration and job request below gets a 4xx
 * problem+json whose detail names what is wrong (the limit and its value where a limit refused it), and leaves
 * no row in any table and no spooled file behind. The limits are set small here so that each can be crossed
 * with a small file; the defaults are the same code with larger numbers.
 */
@TestPropertySource(properties = {
        "largo.builtins.enabled=false",
        "largo.uploads.max-size=4MB",
        "largo.limits.max-examples=40",
        "largo.limits.max-zip-entries=50",
        "largo.limits.max-uncompressed-bytes=2MB",
        "largo.limits.max-image-pixels=4096",
        "largo.limits.max-classes=10",
        "largo.limits.max-row-bytes=4KB",
        "largo.limits.max-safetensors-header-bytes=64KB"})
class MalformedInputTest extends ServiceIntegrationTest {

    private static final Path SPOOL;

    static {
        try {
            SPOOL = Files.createTempDirectory("largo-malformed-spool");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void spool(DynamicPropertyRegistry registry) {
        registry.add("largo.uploads.spool-directory", SPOOL::toString);
    }

    /** One bad request: what it sends, the status it must get, and a phrase its detail must contain. */
    record BadInput(String name, Function<MalformedInputTest, Exchange> send, int status, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void isRefusedWithANamedProblemAndLeavesNothing(BadInput input) throws IOException {
        Map<String, Long> before = allRowCounts();

        Exchange answer = input.send().apply(this);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(input.status()).isBetween(400, 499);
        assertThat(answer.contentType()).as(answer.toString()).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(input.status());
        assertThat(answer.json().get("detail").asString()).as(answer.toString()).contains(input.detail());
        assertThat(rowCounts()).as("rows after " + input.name()).isEqualTo(before);
        try (Stream<Path> left = Files.list(SPOOL)) {
            assertThat(left.toList()).as("spooled files after " + input.name()).isEmpty();
        }
    }

    static List<BadInput> badInputs() {
        List<BadInput> all = new ArrayList<>();
        all.addAll(imageFolderZips());
        all.addAll(safetensorsDatasets());
        all.addAll(otherDatasets());
        all.addAll(models());
        all.addAll(jobs());
        return all;
    }

    // ---- dataset uploads: ImageFolder zip --------------------------------------------------------------------

    private static List<BadInput> imageFolderZips() {
        Map<String, byte[]> slip = BadFiles.images(2, 2, 8);
        slip.put("../../etc/evil.png", BadFiles.png(8, 8, 1));
        Map<String, byte[]> absolute = BadFiles.images(2, 2, 8);
        absolute.put("/tmp/c0/evil.png", BadFiles.png(8, 8, 1));
        Map<String, byte[]> backslash = BadFiles.images(2, 2, 8);
        backslash.put("c0\\..\\..\\evil.png", BadFiles.png(8, 8, 1));
        Map<String, byte[]> manyEntries = BadFiles.images(2, 2, 8);
        for (int i = 0; i < 50; i++) {
            manyEntries.put("c" + (i % 2) + "/sub" + i + "/", new byte[0]);
        }
        Map<String, byte[]> padded = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            // valid images (the decoder stops at IEND) that each inflate to 0.9 MB: 2.7 MB in all
            byte[] png = BadFiles.png(8, 8, i);
            byte[] image = java.util.Arrays.copyOf(png, png.length + 900_000);
            padded.put("c" + (i % 2) + "/" + i + ".png", image);
        }
        Map<String, byte[]> bomb = BadFiles.images(2, 1, 8);
        bomb.put("c0/bomb.png", new byte[3_000_000]);
        Map<String, byte[]> hugeHeader = BadFiles.images(2, 1, 8);
        hugeHeader.put("c1/huge.png", BadFiles.pngHeader(50_000, 50_000));
        Map<String, byte[]> corrupt = BadFiles.images(2, 1, 8);
        byte[] garbage = BadFiles.png(8, 8, 3);
        java.util.Arrays.fill(garbage, 16, garbage.length, (byte) 0x5a);
        corrupt.put("c0/corrupt.png", garbage);
        Map<String, byte[]> text = BadFiles.images(2, 1, 8);
        text.put("c0/readme.txt", "hello".getBytes(StandardCharsets.UTF_8));
        Map<String, byte[]> mixedSizes = BadFiles.images(2, 1, 8);
        mixedSizes.put("c1/big.png", BadFiles.png(16, 16, 1));
        Map<String, byte[]> mixedLayouts = BadFiles.images(2, 1, 8);
        mixedLayouts.put("train/c0/x.png", BadFiles.png(8, 8, 2));
        return List.of(
                zipUpload("zip entry escaping with ..", BadFiles.zip(slip), 422, "unsafe entry path"),
                zipUpload("zip entry with an absolute path", BadFiles.zip(absolute), 422, "unsafe entry path"),
                zipUpload("zip entry with backslashes", BadFiles.zip(backslash), 422, "unsafe entry path"),
                zipUpload("zip with too many entries", BadFiles.zip(manyEntries), 422,
                        "54 entries; largo.limits.max-zip-entries is 50"),
                zipUpload("zip with too many images", BadFiles.zip(BadFiles.images(2, 21, 8)), 422,
                        "42 images; largo.limits.max-examples is 40"),
                zipUpload("zip inflating past the total limit", BadFiles.zip(padded), 422,
                        "largo.limits.max-uncompressed-bytes is 2097152"),
                zipUpload("zip bomb entry larger than any allowed image", BadFiles.zip(bomb), 422,
                        "c0/bomb.png: entry inflates to 3000000 bytes"),
                zipUpload("PNG header announcing 50000 x 50000 pixels", BadFiles.zip(hugeHeader), 422,
                        "c1/huge.png: image is 50000 x 50000 pixels; largo.limits.max-image-pixels is 4096"),
                zipUpload("corrupt PNG data", BadFiles.zip(corrupt), 422, "c0/corrupt.png: cannot decode png"),
                zipUpload("non-image file in the zip", BadFiles.zip(text), 422, "c0/readme.txt: not a .png"),
                zipUpload("images of different sizes", BadFiles.zip(mixedSizes), 422, "same size"),
                zipUpload("split and plain layouts mixed", BadFiles.zip(mixedLayouts), 422, "layouts"),
                zipUpload("a single class", BadFiles.zip(BadFiles.images(1, 3, 8)), 422, "at least 2"),
                zipUpload("truncated zip", DatasetFiles.truncated(BadFiles.zip(BadFiles.images(2, 3, 8))), 422,
                        "zip"),
                zipUpload("zip without images", BadFiles.zip(Map.of("c0/", new byte[0])), 422, "no .png or .jpg"));
    }

    // ---- dataset uploads: safetensors -------------------------------------------------------------------------

    private static List<BadInput> safetensorsDatasets() {
        byte[] bigHeader = ("{\"__metadata__\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return List.of(
                rawUpload("safetensors header length beyond the file", "image_classification&format=safetensors",
                        BadFiles.safetensors(Long.MAX_VALUE / 2, "{}".getBytes(StandardCharsets.UTF_8), 16), 422,
                        "header length"),
                rawUpload("safetensors header over the header limit", "image_classification&format=safetensors",
                        BadFiles.safetensors(bigHeader.length, bigHeader, 0), 422,
                        "largo.limits.max-safetensors-header-bytes is 65536"),
                rawUpload("safetensors offsets past the end", "image_classification",
                        BadFiles.safetensors("{\"images\":{\"dtype\":\"U8\",\"shape\":[2,4,4,1],"
                                + "\"data_offsets\":[0,9000000000000000000]}}", 32), 422, "beyond the data section"),
                rawUpload("safetensors overlapping tensors", "image_classification",
                        BadFiles.safetensors("{\"images\":{\"dtype\":\"U8\",\"shape\":[2,4,4,1],\"data_offsets\":[0,32]},"
                                + "\"labels\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[30,32]}}", 32), 422,
                        "overlap"),
                rawUpload("safetensors float images", "image_classification",
                        BadFiles.safetensors(BadFiles.imageDatasetHeader("F32", new long[] {2, 4, 4, 1}, 128, 2),
                                128 + 16), 422, "images: must be U8"),
                rawUpload("safetensors label count mismatch", "image_classification",
                        BadFiles.safetensors(BadFiles.imageDatasetHeader("U8", new long[] {2, 4, 4, 1}, 32, 3),
                                32 + 24), 422, "3 labels for 2 images"),
                rawUpload("safetensors empty batch of 100000 x 100000 images", "image_classification",
                        BadFiles.safetensors(BadFiles.imageDatasetHeader("U8", new long[] {0, 100_000, 100_000, 1},
                                0, 0), 0), 422, "largo.limits.max-image-pixels is 4096"),
                rawUpload("safetensors header that is not JSON", "image_classification&format=safetensors",
                        BadFiles.safetensors("{\"images\": [1, 2", 8), 422, "not valid JSON"));
    }

    // ---- dataset uploads: JSONL, IDX, anything ----------------------------------------------------------------

    private static List<BadInput> otherDatasets() {
        StringBuilder manyLabels = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            manyLabels.append("{\"text\": \"t").append(i).append("\", \"label\": \"l").append(i).append("\"}\n");
        }
        byte[] idx = new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4};
        byte[] random = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(random);
        return List.of(
                rawUpload("JSONL row over the row limit", "text_classification",
                        ("{\"text\": \"" + "y".repeat(5000) + "\", \"label\": \"a\"}\n").getBytes(StandardCharsets.UTF_8),
                        422, "row 1: longer than 4096 bytes; largo.limits.max-row-bytes is 4096"),
                rawUpload("JSONL row that is not JSON", "text_classification",
                        "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", label}\n".getBytes(StandardCharsets.UTF_8),
                        422, "row 2: not valid JSON"),
                rawUpload("JSONL nested 3000 deep", "text_classification",
                        ("{\"text\": " + "[".repeat(3000) + "\n").getBytes(StandardCharsets.UTF_8), 422,
                        "row 1: not valid JSON"),
                rawUpload("JSONL with invalid UTF-8", "text_classification",
                        new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xff, '"', '}', '\n'}, 422,
                        "row 1: not valid UTF-8"),
                rawUpload("JSONL mixing label kinds", "text_classification",
                        "{\"text\": \"a\", \"label\": \"x\"}\n{\"text\": \"b\", \"label\": 1}\n"
                                .getBytes(StandardCharsets.UTF_8), 422, "use one kind throughout"),
                rawUpload("JSONL with more classes than allowed", "text_classification",
                        manyLabels.toString().getBytes(StandardCharsets.UTF_8), 422,
                        "11 distinct labels; largo.limits.max-classes is 10"),
                rawUpload("JSONL uploaded as an image dataset", "image_classification",
                        DatasetFiles.jsonl(List.of("a", "b"), 4), 422, "task_type"),
                rawUpload("IDX images without their labels file", "image_classification&format=idx", idx, 422,
                        "labels file"),
                rawUpload("bytes of no known format", "image_classification", "hello, world".getBytes(), 422,
                        "unrecognised format"),
                rawUpload("upload over the size limit", "image_classification", random, 413,
                        "largo.uploads.max-size"),
                new BadInput("multipart upload over the size limit", t -> t.invalid().post("/v1/datasets",
                        new Multipart().field("name", "big").field("task_type", "image_classification")
                                .file("file", "big.zip", "application/zip", random), Map.of()), 413,
                        "largo.uploads.max-size"),
                new BadInput("upload without a task type", t -> t.invalid().post("/v1/datasets?name=x",
                        BadFiles.zip(BadFiles.images(2, 2, 8)), "application/octet-stream", Map.of()), 400,
                        "task_type"));
    }

    // ---- model registration -----------------------------------------------------------------------------------

    private static List<BadInput> models() {
        String config = ModelFiles.TINY_VIT_CONFIG;
        byte[] weights = ModelFiles.weightsFor(config);
        byte[] reshaped = ModelFiles.weightsFor(config, tensors -> {
            tensors.put("classifier.weight", new Shape(5, 8));
            return tensors;
        });
        byte[] missing = ModelFiles.weightsFor(config, tensors -> {
            tensors.remove("vit.layernorm.bias");
            return tensors;
        });
        byte[] bigHeader = ("{\"__metadata__\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        return List.of(
                model("config.json that is not JSON", "{\"model_type\": ", weights, "config"),
                model("config.json of an unsupported architecture",
                        config.replace("\"model_type\": \"vit\"", "\"model_type\": \"bert\""), weights, "bert"),
                model("config.json with a negative hidden size",
                        config.replace("\"hidden_size\": 8", "\"hidden_size\": -8"), weights, "hidden_size"),
                model("config.json over 1 MB", "{\"pad\": \"" + "x".repeat(1 << 20) + "\"}", weights,
                        "larger than"),
                model("weights with a tensor of the wrong shape", config, reshaped, "classifier.weight"),
                model("weights missing a tensor", config, missing, "vit.layernorm.bias"),
                model("weights header length beyond the file", config,
                        BadFiles.safetensors(1L << 40, "{}".getBytes(StandardCharsets.UTF_8), 8), "header length"),
                model("weights header over the header limit", config, BadFiles.safetensors(bigHeader.length,
                        bigHeader, 0), "largo.limits.max-safetensors-header-bytes is 65536"),
                model("weights with offsets past the end", config, BadFiles.safetensors(
                        "{\"classifier.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,"
                                + Long.MAX_VALUE + "]}}", 12), "beyond the data section"),
                model("weights with a shape overflowing 64 bits", config, BadFiles.safetensors(
                        "{\"classifier.bias\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                                + "\"data_offsets\":[0,12]}}", 12), "overflows"),
                model("weights of integer dtype", config, BadFiles.safetensors(
                        "{\"classifier.bias\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]}}", 12),
                        "floating-point"),
                model("weights that are not safetensors", config, "not a model".getBytes(StandardCharsets.UTF_8),
                        "weights"));
    }

    // ---- job creation -----------------------------------------------------------------------------------------

    private static List<BadInput> jobs() {
        return List.of(
                job("unknown base model", t -> t.jobJson("no-such-model", t.train, t.eval, "{\"type\": \"lora\"}", "{}"),
                        422, "base_model"),
                job("unknown training dataset", t -> t.jobJson(BASE_MODEL, "7d3c1a2e-0000-4000-8000-000000000000",
                        t.eval, "{\"type\": \"lora\"}", "{}"), 422, "training_dataset"),
                job("text dataset for an image model", t -> t.jobJson(BASE_MODEL, t.text, t.eval,
                        "{\"type\": \"lora\"}", "{}"), 422, "text_classification"),
                job("training dataset id that is not a UUID", t -> t.jobJson(BASE_MODEL, "../../datasets", t.eval,
                        "{\"type\": \"lora\"}", "{}"), 400, "training_dataset"),
                job("unknown method", t -> t.jobJson(BASE_MODEL, t.train, t.eval, "{\"type\": \"sgd\"}", "{}"), 400,
                        "method.type"),
                job("LoRA block for full fine-tuning", t -> t.jobJson(BASE_MODEL, t.train, t.eval,
                        "{\"type\": \"full\", \"lora\": {\"r\": 4}}", "{}"), 422, "method.lora"),
                job("rank 0", t -> t.jobJson(BASE_MODEL, t.train, t.eval, "{\"type\": \"lora\", \"lora\": {\"r\": 0}}",
                        "{}"), 400, "method.lora.r"),
                job("rank 100000", t -> t.jobJson(BASE_MODEL, t.train, t.eval,
                        "{\"type\": \"lora\", \"lora\": {\"r\": 100000}}", "{}"), 400, "method.lora.r"),
                job("alpha of 1e400", t -> t.jobJson(BASE_MODEL, t.train, t.eval,
                        "{\"type\": \"lora\", \"lora\": {\"alpha\": 1e400}}", "{}"), 400, "method.lora.alpha"),
                job("negative learning rate", t -> t.lora("{\"learning_rate\": -0.001}"), 400,
                        "hyperparameters.learning_rate"),
                job("learning rate of 1e400", t -> t.lora("{\"learning_rate\": 1e400}"), 400,
                        "hyperparameters.learning_rate"),
                job("learning rate \"NaN\" as a string", t -> t.lora("{\"learning_rate\": \"NaN\"}"), 400,
                        "hyperparameters.learning_rate"),
                job("epochs 0", t -> t.lora("{\"epochs\": 0}"), 400, "hyperparameters.epochs"),
                job("epochs 100000", t -> t.lora("{\"epochs\": 100000}"), 400, "hyperparameters.epochs"),
                job("epochs 2.5", t -> t.lora("{\"epochs\": 2.5}"), 400, "hyperparameters.epochs"),
                job("batch size 10^9", t -> t.lora("{\"batch_size\": 1000000000}"), 400,
                        "hyperparameters.batch_size"),
                job("gradient clip of infinity", t -> t.lora("{\"grad_clip\": 1e999}"), 400,
                        "hyperparameters.grad_clip"),
                job("head warm-up of 101 epochs", t -> t.lora("{\"head_warmup_epochs\": 101}"), 400,
                        "hyperparameters.head_warmup_epochs"),
                job("misspelt hyperparameter", t -> t.lora("{\"learing_rate\": 0.1}"), 400, "learing_rate"),
                job("evaluation split listed twice", t -> t.jobJson(BASE_MODEL, t.train, t.eval,
                        "{\"type\": \"lora\"}", "{}").replace("]", ", {\"dataset\": \"" + t.eval
                                + "\", \"kind\": \"ood\"}]"), 422, "listed twice"),
                job("body that is not JSON", t -> "{\"base_model\": ", 400, "not valid JSON"));
    }

    // ---- how the cases are sent --------------------------------------------------------------------------------

    private String train;
    private String eval;
    private String text;

    private ContractClient invalid() {
        return api.sendingInvalidRequests();
    }

    private static BadInput zipUpload(String name, byte[] zip, int status, String detail) {
        return rawUpload(name, "image_classification", zip, status, detail);
    }

    private static BadInput rawUpload(String name, String taskTypeAndMore, byte[] body, int status, String detail) {
        return new BadInput(name, t -> t.invalid().post("/v1/datasets?name=bad&task_type=" + taskTypeAndMore, body,
                "application/octet-stream", Map.of()), status, detail);
    }

    private static BadInput model(String name, String config, byte[] weights, String detail) {
        return new BadInput(name, t -> t.invalid().post("/v1/models", new Multipart()
                .file("config", "config.json", "application/json", config.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", weights)
                .field("name", "bad-model"), Map.of()), 422, detail);
    }

    /** A job case: the model and datasets it refers to exist before the row counts are taken. */
    private static BadInput job(String name, Function<MalformedInputTest, String> body, int status, String detail) {
        return new BadInput(name, t -> t.invalid().postJson("/v1/fine-tuning/jobs", body.apply(t)), status, detail);
    }

    private String lora(String hyperparameters) {
        return jobJson(BASE_MODEL, train, eval, "{\"type\": \"lora\"}", hyperparameters);
    }

    private String jobJson(String model, String training, String evaluation, String method, String hyperparameters) {
        return "{\"base_model\": \"" + model + "\", \"training_dataset\": \"" + training + "\", "
                + "\"evaluation_splits\": [{\"dataset\": \"" + evaluation + "\", \"kind\": \"id\"}], "
                + "\"method\": " + method + ", \"hyperparameters\": " + hyperparameters + "}";
    }

    /** Row counts of every table, after creating what the job cases refer to (each test starts empty). */
    private Map<String, Long> allRowCounts() {
        insertBuiltInModel(BASE_MODEL);
        train = uploadImageDataset("train", null);
        eval = uploadImageDataset("eval", "clean");
        Exchange created = api.post("/v1/datasets?name=texts&task_type=text_classification",
                DatasetFiles.jsonl(List.of("a", "b"), 4), "application/octet-stream", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        text = created.json().get("id").asString();
        return rowCounts();
    }

    private Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : jdbc.queryForList("select tablename from pg_tables where schemaname = 'public'"
                + " and tablename <> 'flyway_schema_history' order by tablename", String.class)) {
            counts.put(table, count(table));
        }
        return counts;
    }
}
