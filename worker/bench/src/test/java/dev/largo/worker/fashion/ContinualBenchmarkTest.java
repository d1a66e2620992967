package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.fashion.BenchmarkReport.Stat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The continual benchmark command end to end in its CI-sized mode, on Fashion-MNIST-shaped synthetic IDX files and
 * the built-in base model: it must finish with a sane AA/BWT table and matrices, not particular numbers.
 */
class ContinualBenchmarkTest {

    @Test
    void quickModeProducesAaBwtAndAMatrixForEveryMethod(@TempDir Path tmp) throws Exception {
        Path idx = IdxFiles.writeFashionMnistLayout(SyntheticFashionMnist.of(760, 3), SyntheticFashionMnist.of(14, 4),
                tmp.resolve("idx"));
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ContinualBenchmark.Options options = ContinualBenchmark.Options.parse(
                new String[] {"--quick", "--data", idx.toString(), "--out", out.toString()});
        assertThat(options.inProcess()).isTrue();
        ContinualReport report = ContinualBenchmark.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(report.rows()).extracting(ContinualReport.Row::method)
                .containsExactly("gorp", "lora", "full", "largo", "joint");
        for (ContinualReport.Row row : report.rows()) {
            assertThat(row.averageAccuracy().mean()).as(row.method()).isBetween(0.0, 1.0);
            assertThat(row.matrix()).hasNumberOfRows(6);
            Stat[] last = row.matrix()[5];
            assertThat(last).hasSize(6).doesNotContainNull();
            double mean = java.util.Arrays.stream(last).mapToDouble(Stat::mean).average().orElseThrow();
            assertThat(row.averageAccuracy().mean()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12));
            if (row.method().equals("joint")) {
                assertThat(row.backwardTransfer()).isNull();
                assertThat(row.matrix()[0]).containsOnlyNulls();
            } else {
                assertThat(row.backwardTransfer().mean()).isBetween(-1.0, 1.0);
                for (Stat[] matrixRow : row.matrix()) {
                    assertThat(matrixRow).doesNotContainNull();
                }
            }
            assertThat(row.trainableParameters()).isPositive();
            assertThat(row.medianStepMillis()).isPositive().isFinite();
        }
        assertThat(report.learningRates()).containsOnlyKeys("gorp", "lora", "full", "largo", "joint");
        assertThat(report.learningRates().get("joint")).isEqualTo(report.learningRates().get("lora"));
        assertThat(report.sweep()).isEmpty();
        assertThat(report.trainImagesPerTask()).isEqualTo(128);
        assertThat(report.testImagesPerStyle()).isEqualTo(64);

        String markdown = Files.readString(out.resolve("continual-results.md"));
        assertThat(markdown).contains("| gorp |", "| joint |", "AA", "BWT", "accuracy matrix", "| contrast |");
        assertThat(markdown).doesNotContain("NaN");
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("continual-results.json")));
        assertThat(json.get("rows")).hasSize(5);
        assertThat(json.get("runs")).hasSize(5);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("[5/5]");

        ContinualReport repeat = ContinualBenchmark.run(options, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertThat(repeat.runs()).extracting(ContinualRunResult::wallSeconds)
                .containsExactlyElementsOf(report.runs().stream().map(ContinualRunResult::wallSeconds).toList());
    }

    @Test
    void theSequenceUsesDisjointTrainingImagesPerTask(@TempDir Path tmp) throws Exception {
        FashionShift shift = new FashionShift(SyntheticFashionMnist.of(760, 3), SyntheticFashionMnist.of(14, 4));
        List<dev.largo.worker.engine.data.styles.Style> styles = List.of(dev.largo.worker.engine.data.styles.Style.values());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int t = 0; t < styles.size(); t++) {
            var data = shift.continualTrain(t, dev.largo.worker.engine.data.styles.Style.CLEAN, 100);
            assertThat(data.count()).isEqualTo(100);
            for (int i = 0; i < data.count(); i++) {
                assertThat(seen.add(SyntheticFashionMnist.id(data, i))).as("task %d image %d", t, i).isTrue();
            }
        }
    }
}
