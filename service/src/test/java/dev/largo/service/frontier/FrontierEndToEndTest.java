package dev.largo.service.frontier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.largo.service.builtins.BuiltinRegistration;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.SampleSlices;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.engine.io.SafeTensorsFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The frontier over HTTP with the in-process worker and real training, on small slices of the built-in sample sets
 * (clean for training and ID, rotate and invert as OOD): a LoRA job with a head warm-up (LP-FT through the API),
 * then its frontier through the queue, then downloads at alphas checked against the job's own exports.
 */
@TestPropertySource(properties = "largo.worker.enabled=true")
// closed after the class: a cached context's worker would go on claiming other tests' jobs
@DirtiesContext
class FrontierEndToEndTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";
    private static final Duration LIMIT = Duration.ofMinutes(5);

    @Autowired
    private BuiltinRegistration builtins;

    @Test
    void aSucceededJobsFrontierIsEvaluatedByTheWorkerAndDownloadableAtAnyAlpha() throws Exception {
        builtins.registerAll();
        String train = upload("clean", 0, 20, "train");
        String id = upload("clean", 20, 10, "test");
        String rotate = upload("rotate", 0, 10, "test");
        String invert = upload("invert", 0, 10, "test");
        Exchange created = api.postJson(JOBS, "{\"base_model\": \"" + BuiltinAssets.BASE_MODEL_ID + "\","
                + " \"training_dataset\": \"" + train + "\", \"evaluation_splits\": [{\"dataset\": \"" + id
                + "\", \"kind\": \"id\", \"domain\": \"clean\"}, {\"dataset\": \"" + rotate + "\", \"kind\": \"ood\","
                + " \"domain\": \"rotate\"}, {\"dataset\": \"" + invert + "\", \"kind\": \"ood\", \"domain\": \"invert\"}],"
                + " \"method\": {\"type\": \"lora\"}, \"hyperparameters\": {\"epochs\": 1, \"batch_size\": 25,"
                + " \"head_warmup_epochs\": 1}, \"seed\": 3}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("hyperparameters").get("head_warmup_epochs").asInt()).isEqualTo(1);
        String job = created.json().get("id").asString();
        JsonNode done = await(JOBS + "/" + job, "succeeded");
        assertThat(api.get(JOBS + "/" + job + "/events?limit=200").text()).contains("head_warmup");

        Exchange queued = api.postJson(JOBS + "/" + job + "/frontier", "{\"points\": 5, \"tolerance\": 0.05}");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        JsonNode curve = await(JOBS + "/" + job + "/frontier", "succeeded");
        assertThat(curve.get("points_done").asInt()).isEqualTo(5);
        assertThat(curve.get("progress").asDouble()).isEqualTo(1.0);
        JsonNode points = curve.get("points");
        assertThat(points.size()).isEqualTo(5);
        for (JsonNode point : points) {
            assertThat(point.get("splits").size()).isEqualTo(3);
            double rotateAcc = split(point, rotate).get("accuracy").asDouble();
            double invertAcc = split(point, invert).get("accuracy").asDouble();
            assertThat(point.get("ood_mean_accuracy").asDouble()).isCloseTo((rotateAcc + invertAcc) / 2, within(1e-9));
            assertThat(point.get("ood_worst_accuracy").asDouble()).isEqualTo(Math.min(rotateAcc, invertAcc));
            assertThat(point.get("id_accuracy").asDouble()).isEqualTo(split(point, id).get("accuracy").asDouble());
            assertThat(split(point, rotate).get("kind").asString()).isEqualTo("ood");
            assertThat(split(point, rotate).get("domain").asString()).isEqualTo("rotate");
        }
        // alpha 1 is the fine-tuned model the job evaluated at its end
        JsonNode evaluations = api.get(JOBS + "/" + job + "/evaluations").json();
        assertThat(points.get(4).get("alpha").asDouble()).isEqualTo(1.0);
        assertThat(points.get(4).get("id_accuracy").asDouble())
                .isCloseTo(evaluations.get("summary").get("id_accuracy").asDouble(), within(1e-9));
        assertThat(curve.get("base_reference").get("id_accuracy").isNumber()).isTrue();
        assertThat(curve.get("recommended_alpha").asDouble()).isEqualTo(recommended(points, 0.05));
        JsonNode loose = api.get(JOBS + "/" + job + "/frontier?tolerance=1").json();
        assertThat(loose.get("recommended_alpha").asDouble()).isEqualTo(recommended(points, 1));

        // downloads at an alpha, against the job's own exports
        String adapter = done.get("fine_tuned_adapter").asString();
        Map<String, byte[]> original = unzip(api.get("/v1/adapters/" + adapter + "/download").body());
        Exchange half = api.get(JOBS + "/" + job + "/frontier/download?alpha=0.5");
        assertThat(half.status()).as(half.toString()).isEqualTo(200);
        assertThat(half.contentType()).isEqualTo("application/zip");
        Map<String, byte[]> atHalf = unzip(half.body());
        double loraAlpha = json(original.get("adapter_config.json")).get("lora_alpha").asDouble();
        assertThat(json(atHalf.get("adapter_config.json")).get("lora_alpha").asDouble()).isEqualTo(loraAlpha * 0.5);
        Map<String, float[]> before = tensors(original.get("adapter_model.safetensors"));
        Map<String, float[]> after = tensors(atHalf.get("adapter_model.safetensors"));
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, values) -> {
            if (name.contains("lora_")) {
                assertThat(after.get(name)).as(name).containsExactly(values);
            } else {
                assertThat(after.get(name)).as(name + " (head, interpolated)").isNotEqualTo(values);
            }
        });

        Map<String, byte[]> merged = unzip(api.get("/v1/adapters/" + adapter + "/download?format=merged").body());
        Map<String, byte[]> mergedAtOne = unzip(api.get(JOBS + "/" + job + "/frontier/download?alpha=1&format=merged").body());
        assertThat(mergedAtOne.keySet()).containsAll(List.of("config.json", "model.safetensors"));
        Map<String, float[]> fineTuned = tensors(merged.get("model.safetensors"));
        Map<String, float[]> atOne = tensors(mergedAtOne.get("model.safetensors"));
        fineTuned.forEach((name, values) -> assertThat(atOne.get(name)).as(name).containsExactly(values));
        Map<String, float[]> atZero = tensors(unzip(api.get(JOBS + "/" + job
                + "/frontier/download?alpha=0&format=merged").body()).get("model.safetensors"));
        Map<String, float[]> base = tensors(unzip(api.get("/v1/models/" + BuiltinAssets.BASE_MODEL_ID + "/download")
                .body()).get("model.safetensors"));
        atZero.forEach((name, values) -> {
            if (!name.startsWith("classifier.")) {
                assertThat(values).as(name + " at alpha 0 is the base weight").containsExactly(base.get(name));
            }
        });
    }

    /** The best OOD mean among the points within {@code tolerance} of the best ID accuracy (ties: higher ID, alpha). */
    private static double recommended(JsonNode points, double tolerance) {
        double bestId = 0;
        for (JsonNode point : points) {
            bestId = Math.max(bestId, point.get("id_accuracy").asDouble());
        }
        JsonNode best = null;
        for (JsonNode point : points) {
            if (point.get("id_accuracy").asDouble() < bestId - tolerance - 1e-12) {
                continue;
            }
            if (best == null || point.get("ood_mean_accuracy").asDouble() > best.get("ood_mean_accuracy").asDouble()
                    || point.get("ood_mean_accuracy").asDouble() == best.get("ood_mean_accuracy").asDouble()
                    && point.get("id_accuracy").asDouble() >= best.get("id_accuracy").asDouble()) {
                best = point;
            }
        }
        return best.get("alpha").asDouble();
    }

    private static JsonNode split(JsonNode point, String dataset) {
        for (JsonNode split : point.get("splits")) {
            if (split.get("split").asString().equals(dataset)) {
                return split;
            }
        }
        throw new AssertionError("no split " + dataset + " in " + point);
    }

    private JsonNode await(String path, String status) throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = api.get(path).json();
            String now = state.get("status").asString();
            if (status.equals(now)) {
                return state;
            }
            if ("failed".equals(now) || "cancelled".equals(now)) {
                throw new AssertionError(path + " ended " + now + ": " + state);
            }
            Thread.sleep(500);
        }
        throw new AssertionError(path + " did not reach " + status + " within " + LIMIT + ": " + api.get(path).text());
    }

    private static JsonNode json(byte[] bytes) {
        return dev.largo.worker.engine.support.Json.MAPPER.readTree(bytes);
    }

    private static Map<String, float[]> tensors(byte[] safetensors) throws IOException {
        Path file = Files.createTempFile("tensors", ".safetensors");
        try {
            Files.write(file, safetensors);
            Map<String, float[]> out = new LinkedHashMap<>();
            try (SafeTensorsFile read = SafeTensorsFile.open(file)) {
                for (String name : read.header().names()) {
                    out.put(name, read.readFloats(name));
                }
            }
            return out;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    /** Of the built-in sample test set in {@code style}, {@code count} images per class from the {@code skip}-th. */
    private String upload(String style, int skip, int count, String split) throws Exception {
        ImageDataset slice = SampleSlices.perClass(SampleSlices.builtinTestSet(style), skip, count);
        Path file = Files.createTempFile("fashion-" + style, ".safetensors");
        try {
            DatasetWriter.writeSafetensors(slice, file);
            Exchange uploaded = api.post("/v1/datasets?name=" + style + "-" + split + "-" + skip
                    + "&task_type=image_classification&split=" + split + "&domain=" + style, Files.readAllBytes(file),
                    "application/octet-stream", Map.of());
            assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
            return uploaded.json().get("id").asString();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
