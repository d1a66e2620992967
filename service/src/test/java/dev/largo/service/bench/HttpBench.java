package dev.largo.service.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the HTTP benchmarks share: a loopback-only client, requests that must succeed, percentiles, the machine. */
final class HttpBench {

    private HttpBench() {
    }

    /** An HTTP/1.1 client (one keep-alive connection per concurrent request) for a loopback address only. */
    static HttpClient loopbackClient(URI base) throws IOException {
        if (!InetAddress.getByName(base.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the benchmark only targets loopback addresses, not " + base.getHost());
        }
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A POST that must create something (201). */
    static String post(HttpClient http, String uri, byte[] body, String contentType) throws IOException,
            InterruptedException {
        return post(http, uri, body, contentType, 201);
    }

    static String post(HttpClient http, String uri, byte[] body, String contentType, int expectedStatus)
            throws IOException, InterruptedException {
        return send(http, HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), expectedStatus);
    }

    static String get(HttpClient http, String uri) throws IOException, InterruptedException {
        return send(http, HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(30)).GET().build(), 200);
    }

    private static String send(HttpClient http, HttpRequest request, int expected) throws IOException,
            InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " -> " + response.statusCode()
                    + ": " + response.body());
        }
        return response.body();
    }

    /** The first {@code "id"} of a JSON response. */
    static String id(String json) {
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no id in " + json);
        }
        return m.group(1);
    }

    /** The percentile of sorted nanosecond latencies, in milliseconds (nearest rank). */
    static double percentileMillis(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the CPU stays unnamed
        }
        return "machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB max heap (client JVM), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + ", load average " + loadAverage() + "; date " + ZonedDateTime.now();
    }

    /** The 1, 5 and 15 minute load averages, or "n/a" off Linux. */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }
}
