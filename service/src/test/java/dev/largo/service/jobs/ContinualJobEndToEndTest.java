package dev.largo.service.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import tools.jackson.databind.JsonNode;

import dev.largo.service.builtins.BuiltinRegistration;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.SampleSlices;
import dev.largo.service.testsupport.ServiceIntegrationTest;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.builtin.BuiltinAssets;

/**
 * The acceptance test, over HTTP with the in-process worker of the default mode and real training: a
 * GORP job over three tasks on the built-in base model ends {@code succeeded} with a 3x3 accuracy matrix and
 * the average accuracy and backward transfer after each task, a PEFT adapter per task; extending it with a
 * fourth task trains only that task and keeps the first three tasks' results as they were.
 *
 * <p>The tasks are small slices of the built-in sample test sets in four styles (clean, rotate, invert, noise):
 * 20 training and 10 evaluation images per class each, one epoch, so the whole run trains for seconds.
 */
@TestPropertySource(properties = "largo.worker.enabled=true")
// closed after the class: a cached context's worker would go on claiming other tests' jobs
@DirtiesContext
class ContinualJobEndToEndTest extends ServiceIntegrationTest {

    private static final String JOBS = "/v1/fine-tuning/jobs";
    private static final int TRAIN_PER_CLASS = 20;
    private static final int EVAL_PER_CLASS = 10;
    private static final Duration JOB_LIMIT = Duration.ofMinutes(5);

    @Autowired
    private BuiltinRegistration builtins;

    @Test
    void threeTasksThenAFourthKeepTheEarlierResults() throws Exception {
        builtins.registerAll();
        List<String> styles = List.of("clean", "rotate", "invert", "noise");
        Map<String, String[]> data = new HashMap<>();
        for (String style : styles) {
            data.put(style, upload(style));
        }

        Exchange created = api.postJson(JOBS, "{\"base_model\": \"" + BuiltinAssets.BASE_MODEL_ID + "\", \"tasks\": ["
                + task("clean", data) + ", " + task("rotate", data) + ", " + task("invert", data) + "],"
                + " \"method\": {\"type\": \"gorp\"}, \"hyperparameters\": {\"epochs\": 1, \"batch_size\": 25}, \"seed\": 3}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String job = created.json().get("id").asString();

        JsonNode done = awaitSucceeded(job);
        assertThat(done.get("tasks").valueStream().map(t -> t.get("status").asString()))
                .containsExactly("succeeded", "succeeded", "succeeded");
        assertThat(done.get("current_task").asInt()).isEqualTo(2);
        List<String> adapters = done.get("tasks").valueStream().map(t -> t.get("adapter").asString()).toList();
        assertThat(adapters).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(done.get("fine_tuned_adapter").asString()).isEqualTo(adapters.get(2));

        JsonNode evaluations = api.get(JOBS + "/" + job + "/evaluations").json();
        double[][] matrix = matrix(evaluations.get("continual"), 3, 3);
        checkTransferFigures(evaluations.get("continual"), matrix);
        // every cell is its task's split as evaluated after that row's task (one split per task here)
        assertThat(evaluations.get("data").size()).isEqualTo(9);
        for (JsonNode row : evaluations.get("data")) {
            assertThat(row.get("accuracy").asDouble())
                    .isEqualTo(matrix[row.get("after_task").asInt()][row.get("task").asInt()]);
            assertThat(row.get("count").asLong()).isEqualTo(5L * EVAL_PER_CLASS);
        }
        JsonNode tasks = done.get("tasks");
        for (int j = 0; j < 3; j++) {
            assertThat(tasks.get(j).get("average_accuracy").asDouble())
                    .isEqualTo(evaluations.get("continual").get("average_accuracy").get(j).asDouble());
        }

        // each task's adapter is a PEFT zip, downloadable like any other
        Exchange zip = api.get("/v1/adapters/" + adapters.get(0) + "/download");
        assertThat(zip.status()).isEqualTo(200);
        assertThat(entries(zip.body())).contains("adapter_config.json", "adapter_model.safetensors");
        assertThat(api.get("/v1/adapters/" + adapters.get(1)).json().get("fine_tuning_job_id").asString()).isEqualTo(job);
        // the tasks' metrics continue each other's steps
        List<Long> steps = api.get(JOBS + "/" + job + "/metrics?name=train/loss&limit=1000").json().get("data")
                .valueStream().map(m -> m.get("step").asLong()).toList();
        assertThat(steps).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);

        // Extend with a fourth task: only it trains, from the state after the third.
        Exchange extended = api.postJson(JOBS + "/" + job + "/continue", "{\"task\": " + task("noise", data) + "}");
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        // queued again (the in-process worker may have claimed it before the response was read)
        assertThat(extended.json().get("status").asString()).isIn("queued", "running");
        assertThat(extended.json().get("tasks").get(3).get("status").asString()).isIn("pending", "running");
        JsonNode four = awaitSucceeded(job);
        assertThat(four.get("tasks").valueStream().map(t -> t.get("status").asString()))
                .containsExactly("succeeded", "succeeded", "succeeded", "succeeded");
        assertThat(four.get("tasks").get(3).get("name").asString()).isEqualTo("task-4");
        for (int j = 0; j < 3; j++) {
            assertThat(four.get("tasks").get(j).get("adapter").asString()).isEqualTo(adapters.get(j));
            assertThat(four.get("tasks").get(j).get("average_accuracy")).isEqualTo(tasks.get(j).get("average_accuracy"));
            assertThat(four.get("tasks").get(j).get("backward_transfer")).isEqualTo(tasks.get(j).get("backward_transfer"));
        }
        assertThat(four.get("fine_tuned_adapter").asString()).isEqualTo(four.get("tasks").get(3).get("adapter").asString())
                .isNotIn(adapters);

        JsonNode after = api.get(JOBS + "/" + job + "/evaluations").json();
        JsonNode continual = after.get("continual");
        assertThat(continual.get("tasks").toString()).isEqualTo("[\"task-1\",\"task-2\",\"task-3\",\"task-4\"]");
        assertThat(continual.get("accuracy").size()).isEqualTo(4);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 3; i++) {
                assertThat(continual.get("accuracy").get(j).get(i).asDouble()).as("a[%d][%d] kept", j, i)
                        .isEqualTo(matrix[j][i]);
            }
            // the fourth task did not exist when the first three were evaluated
            assertThat(continual.get("accuracy").get(j).get(3).isNull()).isTrue();
        }
        double[][] extendedMatrix = new double[4][];
        for (int j = 0; j < 3; j++) {
            extendedMatrix[j] = matrix[j];
        }
        extendedMatrix[3] = row(continual.get("accuracy").get(3), 4);
        checkTransferFigures(continual, extendedMatrix);
        assertThat(after.get("data").size()).isEqualTo(9 + 4);
    }

    /** AA after task j is the mean of row j over tasks 0..j; BWT the mean drop from a[i][i] to a[j][i], i < j. */
    private static void checkTransferFigures(JsonNode continual, double[][] matrix) {
        for (int j = 0; j < matrix.length; j++) {
            double seen = 0;
            double transfer = 0;
            for (int i = 0; i <= j; i++) {
                seen += matrix[j][i];
                transfer += i < j ? matrix[j][i] - matrix[i][i] : 0;
            }
            assertThat(continual.get("average_accuracy").get(j).asDouble()).as("AA after task %d", j)
                    .isCloseTo(seen / (j + 1), within(1e-12));
            if (j == 0) {
                assertThat(continual.get("backward_transfer").get(0).isNull()).isTrue();
            } else {
                assertThat(continual.get("backward_transfer").get(j).asDouble()).as("BWT after task %d", j)
                        .isCloseTo(transfer / j, within(1e-12));
            }
        }
    }

    private static double[][] matrix(JsonNode continual, int rows, int columns) {
        assertThat(continual.get("accuracy").size()).isEqualTo(rows);
        double[][] matrix = new double[rows][];
        for (int j = 0; j < rows; j++) {
            matrix[j] = row(continual.get("accuracy").get(j), columns);
        }
        return matrix;
    }

    /** A full matrix row: every task evaluated (seen ones and, for forward transfer, the ones to come). */
    private static double[] row(JsonNode values, int columns) {
        assertThat(values.size()).isEqualTo(columns);
        double[] row = new double[columns];
        for (int i = 0; i < columns; i++) {
            assertThat(values.get(i).isNumber()).as("cell %d of %s", i, values).isTrue();
            row[i] = values.get(i).asDouble();
            assertThat(row[i]).isBetween(0.0, 1.0);
        }
        return row;
    }

    private JsonNode awaitSucceeded(String job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode state = api.get(JOBS + "/" + job).json();
            String status = state.get("status").asString();
            if ("succeeded".equals(status)) {
                return state;
            }
            if ("failed".equals(status) || "cancelled".equals(status)) {
                throw new AssertionError("the continual job ended " + status + ": " + state);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the continual job did not succeed within " + JOB_LIMIT + ": "
                + api.get(JOBS + "/" + job).text());
    }

    private static String task(String style, Map<String, String[]> data) {
        String[] ids = data.get(style);
        return "{\"training_dataset\": \"" + ids[0] + "\", \"evaluation_splits\": [{\"dataset\": \"" + ids[1]
                + "\", \"kind\": \"" + ("clean".equals(style) ? "id" : "ood") + "\"}]}";
    }

    /** A training and an evaluation slice of the built-in test set in {@code style}, uploaded; their ids. */
    private String[] upload(String style) throws Exception {
        ImageDataset all = SampleSlices.builtinTestSet(style);
        ImageDataset train = SampleSlices.perClass(all, 0, TRAIN_PER_CLASS);
        ImageDataset eval = SampleSlices.perClass(all, TRAIN_PER_CLASS, EVAL_PER_CLASS);
        return new String[] {uploadDataset(style + "-train", "train", style, train),
            uploadDataset(style + "-eval", "test", style, eval)};
    }

    private String uploadDataset(String name, String split, String domain, ImageDataset dataset) throws IOException {
        Path file = Files.createTempFile("continual-" + name, ".safetensors");
        try {
            DatasetWriter.writeSafetensors(dataset, file);
            Exchange uploaded = api.post("/v1/datasets?name=" + name + "&task_type=image_classification&split=" + split
                    + "&domain=" + domain, Files.readAllBytes(file), "application/octet-stream", Map.of());
            assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(201);
            return uploaded.json().get("id").asString();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
