package dev.largo.service.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load test of issue 8: many clients polling one training job's status and events while it trains, on
 * a running service in the default mode (in-process worker, embedded PostgreSQL). It submits a job on the
 * built-in model and sample dataset, waits until it trains, then measures three windows:
 * <ol>
 *   <li>{@code --baseline} seconds without polling,</li>
 *   <li>{@code --duration} seconds with {@code --clients} threads, each alternating
 *       {@code GET /v1/fine-tuning/jobs/{id}} and {@code GET .../events?after=<last id it saw>} back to back
 *       (or every {@code --think-ms}),</li>
 *   <li>{@code --baseline} seconds without polling again,</li>
 * </ol>
 * and reports requests/s, p50/p90/p99 latency and errors of the polling, and the job's median training step
 * time (its {@code train/step_ms} metric points, by the window they were written in) with and without polling.
 * A point belongs to the window in which the worker wrote it: up to {@code largo.worker.flush-interval} (2 s)
 * after its step. The job is cancelled at the end. Progress lines every 5 s. Loopback only. Not a test: it
 * asserts nothing.
 *
 * <pre>
 * service/bin/load-test [--url http://127.0.0.1:8080] [--clients 100] [--duration 60] [--baseline 20] [--think-ms 0]
 * </pre>
 */
public final class PollingLoadBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODEL = "vit-tiny-fashion";
    /** The sample datasets' fixed ids (README, quick start): fashion-train and fashion-test-clean. */
    private static final String TRAIN = "1fcd0e1c-efcc-3d6f-bb83-887bb5c4cefd";
    private static final String TEST_CLEAN = "60666c56-6dd6-308a-9cc5-0546042e8e49";
    private static final String STEP_MS = "train/step_ms";

    private final HttpClient http;
    private final String base;
    private final Settings settings;

    /** The command line (picocli): {@code --help} lists the options and their defaults. */
    @Command(name = "load-test", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Polls one training job with many clients and reports what it costs the job's steps.")
    static final class Settings implements Callable<Integer> {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080")
        String url;
        @Option(names = "--clients", paramLabel = "N", defaultValue = "100")
        int clients;
        @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60", description = "polling phase")
        int durationSeconds;
        @Option(names = "--baseline", paramLabel = "SECONDS", defaultValue = "20",
                description = "each phase without polling, before and after")
        int baselineSeconds;
        @Option(names = "--think-ms", paramLabel = "MILLIS", defaultValue = "0", description = "pause between a client's polls")
        long thinkMillis;

        @Override
        public Integer call() throws Exception {
            new PollingLoadBenchmark(this).run();
            return 0;
        }
    }

    private PollingLoadBenchmark(Settings settings) throws Exception {
        this.settings = settings;
        this.base = settings.url.replaceAll("/+$", "");
        this.http = HttpBench.loopbackClient(URI.create(base));
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Settings()).execute(args));
    }

    private void run() throws Exception {
        String job = submitJob();
        log("job %s submitted (%s, sample dataset); waiting for it to train (first the base reference: a"
                + " linear probe of 10 epochs)", job, MODEL);
        try {
            awaitTraining(job);
            long start = lastMetricId(job, 0);
            long beforeEnd = idle(job, start, "without polling (before)");
            List<Double> before = stepTimes(job, start, beforeEnd);
            Polling polling = poll(job);
            long pollingEnd = lastMetricId(job, beforeEnd);
            List<Double> during = stepTimes(job, beforeEnd, pollingEnd);
            List<Double> after = stepTimes(job, pollingEnd, idle(job, pollingEnd, "without polling (after)"));
            report(polling, before, during, after);
        } finally {
            HttpBench.post(http, base + "/v1/fine-tuning/jobs/" + job + "/cancel", new byte[0], "application/json", 200);
            log("job %s cancelled", job);
        }
    }

    private String submitJob() throws Exception {
        // Long enough for every window; no evaluation or checkpoint before the end, so the windows hold steps only.
        String request = """
                {"base_model": "%s", "training_dataset": "%s",
                 "evaluation_splits": [{"dataset": "%s", "kind": "id", "domain": "clean"}],
                 "method": {"type": "largo"},
                 "hyperparameters": {"epochs": 100, "eval_every_epochs": 100, "checkpoint_every_epochs": 100},
                 "metadata": {"purpose": "load test"}}""".formatted(MODEL, TRAIN, TEST_CLEAN);
        String body = HttpBench.post(http, base + "/v1/fine-tuning/jobs", request.getBytes(StandardCharsets.UTF_8),
                "application/json");
        return HttpBench.id(body);
    }

    private void awaitTraining(String job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        long nextReport = 0;
        while (true) {
            JsonNode status = JSON.readTree(HttpBench.get(http, base + "/v1/fine-tuning/jobs/" + job));
            String state = status.path("status").asString();
            if ("running".equals(state) && status.path("current_step").asLong() >= 10
                    && lastMetricId(job, 0) > 0) {
                log("training: step %d of %d", status.path("current_step").asLong(), status.path("total_steps").asLong());
                return;
            }
            if (!List.of("validating", "queued", "running").contains(state) || System.nanoTime() > deadline) {
                throw new IllegalStateException("the job does not train (is a worker running?): " + status);
            }
            if (System.nanoTime() > nextReport) {
                log("  job %s, step %d, load average %s", state, status.path("current_step").asLong(),
                        HttpBench.loadAverage());
                nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            }
            Thread.sleep(500);
        }
    }

    /** Waits a baseline window with no requests but a progress line every 5 s; returns the newest metric id then. */
    private long idle(String job, long cursor, String what) throws Exception {
        log("%d s %s", settings.baselineSeconds, what);
        long end = System.nanoTime() + settings.baselineSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
        return lastMetricId(job, cursor);
    }

    /** Latencies of one kind of request, per client thread, merged at the end. */
    private static final class Latencies {
        private final List<long[]> perClient = new ArrayList<>();
        private final List<int[]> counts = new ArrayList<>();

        synchronized Recorder recorder() {
            Recorder recorder = new Recorder(new long[1 << 18], new int[1]);
            perClient.add(recorder.values());
            counts.add(recorder.count());
            return recorder;
        }

        long[] sorted() {
            long[] all = new long[counts.stream().mapToInt(c -> c[0]).sum()];
            int at = 0;
            for (int i = 0; i < perClient.size(); i++) {
                System.arraycopy(perClient.get(i), 0, all, at, counts.get(i)[0]);
                at += counts.get(i)[0];
            }
            Arrays.sort(all);
            return all;
        }
    }

    private record Recorder(long[] values, int[] count) {
        void add(long nanos) {
            if (count[0] < values.length) {
                values[count[0]++] = nanos;
            }
        }
    }

    private record Polling(Latencies status, Latencies events, long errors, double seconds) {
    }

    private Polling poll(String job) throws InterruptedException {
        Latencies statusLatencies = new Latencies();
        Latencies eventLatencies = new Latencies();
        LongAdder requests = new LongAdder();
        AtomicLong errors = new AtomicLong();
        URI status = URI.create(base + "/v1/fine-tuning/jobs/" + job);
        String events = base + "/v1/fine-tuning/jobs/" + job + "/events?limit=100&after=";
        log("%d s with %d clients polling", settings.durationSeconds, settings.clients);
        long start = System.nanoTime();
        long end = start + settings.durationSeconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < settings.clients; c++) {
            Recorder statusTimes = statusLatencies.recorder();
            Recorder eventTimes = eventLatencies.recorder();
            Thread thread = new Thread(() -> {
                long lastEvent = 0;
                while (System.nanoTime() < end) {
                    if (timed(HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(30)).GET().build(), statusTimes,
                            errors) == null) {
                        continue;
                    }
                    requests.increment();
                    String page = timed(HttpRequest.newBuilder(URI.create(events + lastEvent))
                            .timeout(Duration.ofSeconds(30)).GET().build(), eventTimes, errors);
                    requests.increment();
                    if (page != null) {
                        for (JsonNode event : JSON.readTree(page).path("data")) {
                            lastEvent = Math.max(lastEvent, event.path("id").asLong());
                        }
                    }
                    if (settings.thinkMillis > 0 && !pause(settings.thinkMillis)) {
                        return;
                    }
                }
            }, "poller-" + c);
            threads.add(thread);
            thread.start();
        }
        long reported = 0;
        long reportedAt = start;
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(5_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            long count = requests.sum();
            long now = System.nanoTime();
            log("  %3.0f s: %,d requests (%.0f req/s since the last line), %d errors, load average %s",
                    (now - start) / 1e9, count, (count - reported) / ((now - reportedAt) / 1e9), errors.get(),
                    HttpBench.loadAverage());
            reported = count;
            reportedAt = now;
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Polling(statusLatencies, eventLatencies, errors.get(), (System.nanoTime() - start) / 1e9);
    }

    /** Sends a request and records its latency; null (and an error counted) unless it answered 200. */
    private String timed(HttpRequest request, Recorder recorder, AtomicLong errors) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                errors.incrementAndGet();
                return null;
            }
            recorder.add(System.nanoTime() - t0);
            return response.body();
        } catch (java.io.IOException e) {
            errors.incrementAndGet();
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The id of the job's newest step-time point (0 if none), paging on from {@code after}. */
    private long lastMetricId(String job, long after) throws Exception {
        long last = after;
        while (true) {
            JsonNode page = JSON.readTree(HttpBench.get(http, base + "/v1/fine-tuning/jobs/" + job + "/metrics?limit=1000"
                    + "&name=" + STEP_MS + "&after=" + last));
            for (JsonNode point : page.path("data")) {
                last = point.path("id").asLong();
            }
            if (!page.path("has_more").asBoolean()) {
                return last;
            }
        }
    }

    /** Step times (ms) of the points with ids in (from, to]. */
    private List<Double> stepTimes(String job, long from, long to) throws Exception {
        List<Double> values = new ArrayList<>();
        long after = from;
        while (after < to) {
            JsonNode page = JSON.readTree(HttpBench.get(http, base + "/v1/fine-tuning/jobs/" + job + "/metrics?limit=1000"
                    + "&name=" + STEP_MS + "&after=" + after));
            JsonNode data = page.path("data");
            if (data.isEmpty()) {
                break;
            }
            for (JsonNode point : data) {
                if (point.path("id").asLong() <= to) {
                    values.add(point.path("value").asDouble());
                }
                after = point.path("id").asLong();
            }
        }
        return values;
    }

    private void report(Polling polling, List<Double> before, List<Double> during, List<Double> after) {
        long[] status = polling.status().sorted();
        long[] events = polling.events().sorted();
        long[] all = new long[status.length + events.length];
        System.arraycopy(status, 0, all, 0, status.length);
        System.arraycopy(events, 0, all, status.length, events.length);
        Arrays.sort(all);
        System.out.println();
        System.out.printf("polling: %d clients for %.1f s (think time %d ms): %,d requests, %.0f req/s, %d errors%n",
                settings.clients, polling.seconds(), settings.thinkMillis, all.length + polling.errors(),
                all.length / polling.seconds(), polling.errors());
        printLatency("all requests", all);
        printLatency("GET /v1/fine-tuning/jobs/{id}", status);
        printLatency("GET /v1/fine-tuning/jobs/{id}/events?after=", events);
        List<Double> idle = new ArrayList<>(before);
        idle.addAll(after);
        double without = median(idle);
        double with = median(during);
        System.out.printf("training step time, median ms: without polling %.1f (%d steps: before %.1f, after %.1f),"
                + " with polling %.1f (%d steps); slowdown %.2fx%n", without, idle.size(), median(before), median(after),
                with, during.size(), with / without);
        // A step's own time can stay the same while the training thread waits longer between steps (for the
        // CPU, for its progress writes): the steps finished per second of each window show that; windows are
        // as exact as the metric flush interval (2 s) allows.
        double idleRate = idle.size() / (2.0 * settings.baselineSeconds);
        double pollingRate = during.size() / polling.seconds();
        System.out.printf("training throughput, steps/s: without polling %.2f, with polling %.2f; slowdown %.2fx%n",
                idleRate, pollingRate, idleRate / pollingRate);
        System.out.println(HttpBench.machine());
    }

    private static void printLatency(String what, long[] sorted) {
        if (sorted.length == 0) {
            System.out.printf("%-46s no successful request%n", what);
            return;
        }
        System.out.printf("%-46s %,9d ok; latency ms p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f%n", what, sorted.length,
                HttpBench.percentileMillis(sorted, 50), HttpBench.percentileMillis(sorted, 90),
                HttpBench.percentileMillis(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static void log(String format, Object... args) {
        System.out.printf("%tT %s%n", System.currentTimeMillis(), String.format(format, args));
    }
}
