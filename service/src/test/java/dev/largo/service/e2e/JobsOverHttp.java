package dev.largo.service.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.service.testsupport.ContractClient;
import dev.largo.service.testsupport.Exchange;
import dev.largo.service.testsupport.Multipart;
import dev.largo.worker.engine.data.DatasetWriter;
import dev.largo.worker.engine.data.ImageDataset;
import dev.largo.worker.runtime.testing.TinyJobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What the multi-process tests do with a running service, over HTTP and checked against the contract: upload
 * the tiny model and datasets, submit jobs, wait for a job's state, read its events.
 */
final class JobsOverHttp {

    static final String JOBS = "/v1/fine-tuning/jobs";

    private final ContractClient api;
    private final Path files;
    private final Supplier<String> processLogs;

    /**
     * @param files where uploaded files are written first
     * @param processLogs the processes' log tails, added to a failed wait's message
     */
    JobsOverHttp(int port, Path files, Supplier<String> processLogs) {
        this.api = new ContractClient(port);
        this.files = files;
        this.processLogs = processLogs;
    }

    ContractClient api() {
        return api;
    }

    String uploadModel(Path weights, String name) throws IOException {
        Multipart form = new Multipart()
                .file("config", "config.json", "application/json", TinyJobs.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream", Files.readAllBytes(weights))
                .field("name", name);
        Exchange created = api.post("/v1/models", form, Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    String uploadDataset(String name, ImageDataset data, String domain) throws IOException {
        Path file = files.resolve(name + ".safetensors");
        DatasetWriter.writeSafetensors(data, file);
        Exchange created = api.post("/v1/datasets?name=" + name + "&task_type=image_classification&domain=" + domain,
                Files.readAllBytes(file), "application/octet-stream", Map.of());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    String submit(String request) {
        Exchange created = api.postJson(JOBS, request);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    JsonNode job(String id) {
        return api.get(JOBS + "/" + id).json();
    }

    JsonNode await(String id, Predicate<JsonNode> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode job = job(id);
            if (condition.test(job)) {
                return job;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not get there within " + timeout + ": " + job
                        + "\nevents: " + events(id) + processLogs.get());
            }
            Thread.sleep(50);
        }
    }

    /** Waits until the job is neither queued nor running. */
    JsonNode awaitEnd(String id, Duration timeout) throws InterruptedException {
        return await(id, job -> !List.of("queued", "running").contains(job.path("status").asString()), timeout);
    }

    /** Every event of the job, oldest first. */
    List<JsonNode> events(String id) {
        return pages(JOBS + "/" + id + "/events?limit=100");
    }

    /** Every metric point of one name, oldest first. */
    List<JsonNode> metrics(String id, String name) {
        return pages(JOBS + "/" + id + "/metrics?limit=1000&name=" + name);
    }

    private List<JsonNode> pages(String first) {
        List<JsonNode> rows = new ArrayList<>();
        String after = null;
        while (true) {
            JsonNode page = api.get(first + (after == null ? "" : "&after=" + after)).json();
            page.path("data").forEach(rows::add);
            if (!page.path("has_more").asBoolean()) {
                return rows;
            }
            after = page.path("next_after").asString();
        }
    }

    /** The worker named by the job's latest claim event. */
    String claimedBy(String id) {
        String worker = null;
        for (JsonNode event : events(id)) {
            if (event.path("type").asString().equals("job.claimed")) {
                worker = event.path("data").path("worker").asString();
            }
        }
        assertThat(worker).as("job %s has a claim event", id).isNotNull();
        return worker;
    }

    Path download(String adapterId, String name) throws IOException {
        Exchange zip = api.get("/v1/adapters/" + adapterId + "/download");
        assertThat(zip.status()).as(zip.toString()).isEqualTo(200);
        return Files.write(files.resolve(name), zip.body());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
