package dev.largo.service.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import dev.largo.service.testsupport.DatasetFiles;
import dev.largo.service.testsupport.ModelFiles;
import dev.largo.service.testsupport.Multipart;

/**
 * Latency and throughput of {@code GET /v1/fine-tuning/jobs/{id}} under concurrent clients, against a running
 * service (default: the embedded mode on http://127.0.0.1:8080). It registers a tiny model, uploads a small
 * dataset and creates one job through the API, then runs {@code clients} threads that GET that job in a loop:
 * a warm-up (discarded), then a measured phase bounded by time and by request count. Loopback only.
 *
 * <pre>
 * java -cp ... dev.largo.service.bench.JobGetBenchmark [baseUrl] [clients] [seconds] [warmupSeconds] [maxRequests]
 * </pre>
 */
public final class JobGetBenchmark {

    /** The command line (picocli): positional, each optional, {@code --help} lists them with their defaults. */
    @Command(name = "JobGetBenchmark", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Latency and throughput of GET /v1/fine-tuning/jobs/{id} under concurrent clients.")
    static final class Arguments implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "BASE_URL", defaultValue = "http://127.0.0.1:8080")
        String base;
        @Parameters(index = "1", arity = "0..1", paramLabel = "CLIENTS", defaultValue = "32")
        int clients;
        @Parameters(index = "2", arity = "0..1", paramLabel = "SECONDS", defaultValue = "20")
        int seconds;
        @Parameters(index = "3", arity = "0..1", paramLabel = "WARMUP_SECONDS", defaultValue = "5")
        int warmupSeconds;
        @Parameters(index = "4", arity = "0..1", paramLabel = "MAX_REQUESTS", defaultValue = "2000000")
        long maxRequests;

        @Override
        public Integer call() throws Exception {
            measure(base, clients, seconds, warmupSeconds, maxRequests);
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Arguments()).execute(args));
    }

    private static void measure(String base, int clients, int seconds, int warmupSeconds, long maxRequests)
            throws Exception {
        HttpClient http = HttpBench.loopbackClient(URI.create(base));
        String jobId = createJob(http, base);
        URI target = URI.create(base + "/v1/fine-tuning/jobs/" + jobId);

        run(http, target, clients, warmupSeconds, Long.MAX_VALUE);
        Result result = run(http, target, clients, seconds, maxRequests);

        long[] all = result.latenciesNanos();
        Arrays.sort(all);
        System.out.printf("GET /v1/fine-tuning/jobs/{id}: %d clients, %.1f s measured after %d s warm-up%n",
                clients, result.elapsedNanos() / 1e9, warmupSeconds);
        System.out.printf("requests %d, errors %d, throughput %.0f req/s%n", all.length, result.errors(),
                all.length / (result.elapsedNanos() / 1e9));
        System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                HttpBench.percentileMillis(all, 50), HttpBench.percentileMillis(all, 90),
                HttpBench.percentileMillis(all, 99), HttpBench.percentileMillis(all, 99.9), all[all.length - 1] / 1e6);
        System.out.println(HttpBench.machine());
    }

    private record Result(long[] latenciesNanos, long errors, long elapsedNanos) {
    }

    private static Result run(HttpClient http, URI target, int clients, int seconds, long maxRequests)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> perThread = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(clients);
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build();
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            long[] latencies = new long[1 << 20];
            int[] count = new int[1];
            perThread.add(latencies);
            counts.add(count);
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && issued.incrementAndGet() <= maxRequests
                            && count[0] < latencies.length) {
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                                continue;
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            continue;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies[count[0]++] = System.nanoTime() - t0;
                    }
                } finally {
                    done.countDown();
                }
            }, "bench-client-" + t);
            thread.start();
        }
        done.await();
        long elapsed = System.nanoTime() - start;
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts.get(t)[0]);
            at += counts.get(t)[0];
        }
        return new Result(all, errors.get(), elapsed);
    }

    private static String createJob(HttpClient http, String base) throws Exception {
        Multipart model = new Multipart().field("name", "bench-vit")
                .file("config", "config.json", "application/json", ModelFiles.TINY_VIT_CONFIG.getBytes(StandardCharsets.UTF_8))
                .file("weights", "model.safetensors", "application/octet-stream",
                        ModelFiles.weightsFor(ModelFiles.TINY_VIT_CONFIG));
        String modelId = HttpBench.id(HttpBench.post(http, base + "/v1/models", model.bytes(), model.contentType()));
        String datasetId = HttpBench.id(HttpBench.post(http,
                base + "/v1/datasets?name=bench&task_type=image_classification",
                DatasetFiles.imageFolderZip(List.of("zero", "one", "two"), 4, 8, 1), "application/octet-stream"));
        String job = "{\"base_model\": \"" + modelId + "\", \"training_dataset\": \"" + datasetId + "\","
                + " \"evaluation_splits\": [{\"dataset\": \"" + datasetId + "\", \"kind\": \"id\"}],"
                + " \"method\": {\"type\": \"largo\"}, \"metadata\": {\"purpose\": \"benchmark\"}}";
        return HttpBench.id(HttpBench.post(http, base + "/v1/fine-tuning/jobs", job.getBytes(StandardCharsets.UTF_8),
                "application/json"));
    }
}
