package dev.largo.worker.sentiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.data.TextDataset;
import dev.largo.worker.engine.model.bert.TinyTextModel;
import dev.largo.worker.engine.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentiment-shift command end to end in its CI-sized mode, on a small BERT folder and synthetic JSONL files laid
 * out as the real ones (the built-in MiniLM is too slow for CI here): every method gets a row with sane figures,
 * the continual sequence fills its matrices, and a second invocation reuses every cached run.
 */
class SentimentShiftBenchmarkTest {

    @Test
    void quickModeProducesEveryRowAndReusesItsRuns(@TempDir Path tmp) throws Exception {
        Path model = TinyTextModel.folder(tmp.resolve("model"), 3);
        Path data = tmp.resolve("data");
        Files.createDirectories(data);
        write(data.resolve("amazon-train.jsonl"), TinyTextModel.sentiment(64, 1));
        write(data.resolve("amazon-val.jsonl"), TinyTextModel.sentiment(32, 2));
        write(data.resolve("amazon-test.jsonl"), TinyTextModel.sentiment(32, 3));
        write(data.resolve("yelp-test.jsonl"), TinyTextModel.sentiment(64, 4));
        write(data.resolve("sst2-test.jsonl"), TinyTextModel.sentiment(64, 5));
        Path out = tmp.resolve("out");
        SentimentShiftBenchmark.Arguments arguments = SentimentShiftBenchmark.parse(new String[] {"--quick",
                "--data-dir", data.toString(), "--model-dir", model.toString(), "--out", out.toString()});
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SentimentReport report = SentimentShiftBenchmark.run(arguments, "test",
                new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(report.runs()).extracting(run -> run.spec().arm().name()).containsExactly("linear_probe", "full",
                "ftp", "lora", "pissa", "largo");
        for (SentimentRunResult run : report.runs()) {
            assertThat(run.accuracyByDomain()).containsOnlyKeys("amazon", "yelp", "sst2");
            assertThat(run.accuracyByDomain().values()).allSatisfy(accuracy -> assertThat(accuracy).isBetween(0.0, 1.0));
            assertThat(run.oodWorstAccuracy()).isLessThanOrEqualTo(run.oodMeanAccuracy());
            assertThat(run.trainableParameters()).isPositive();
            assertThat(run.medianStepMillis()).isPositive().isFinite();
            assertThat(run.steps()).isEqualTo(2);
        }
        assertThat(report.runs().get(1).trainableParameters()).isGreaterThan(report.runs().get(3).trainableParameters());
        assertThat(report.continual()).extracting(run -> run.spec().method().id()).containsExactly("gorp", "lora");
        for (SentimentContinualResult run : report.continual()) {
            assertThat(run.tasks()).containsExactly("amazon", "yelp", "sst2");
            assertThat(run.accuracy()).hasNumberOfRows(3);
            assertThat(run.averageAccuracy()).isBetween(0.0, 1.0);
        }
        String markdown = Files.readString(out.resolve("results.md"));
        assertThat(markdown).contains("| largo |", "| linear_probe |", "OOD sst2", "amazon -> yelp -> sst2");
        assertThat(markdown).doesNotContain("NaN");
        assertThat(Json.MAPPER.readTree(Files.readString(out.resolve("results.json"))).get("runs")).hasSize(6);

        SentimentReport repeat = SentimentShiftBenchmark.run(arguments, "test",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(repeat.runs()).isEqualTo(report.runs());
        assertThat(repeat.continual()).extracting(SentimentContinualResult::averageAccuracy)
                .isEqualTo(report.continual().stream().map(SentimentContinualResult::averageAccuracy).toList());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path tmp) throws Exception {
        Path model = TinyTextModel.folder(tmp.resolve("model"), 3);
        SentimentShiftBenchmark.Arguments arguments = SentimentShiftBenchmark.parse(new String[] {"--quick",
                "--data-dir", tmp.toString(), "--model-dir", model.toString(), "--out", tmp.resolve("out").toString()});
        assertThatThrownBy(() -> SentimentShiftBenchmark.run(arguments, "test",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .hasMessageContaining("amazon-train.jsonl").hasMessageContaining("--data-dir");
    }

    private static void write(Path file, TextDataset data) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.count(); i++) {
            lines.add(Json.MAPPER.writeValueAsString(Map.of("text", data.texts().get(i),
                    "label", data.classNames().get(data.labels()[i]))));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
