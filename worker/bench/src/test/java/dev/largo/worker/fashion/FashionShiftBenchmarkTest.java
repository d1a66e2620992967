package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.largo.worker.engine.data.styles.Style;
import dev.largo.worker.engine.train.MethodType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark command end to end in its CI-sized mode, on Fashion-MNIST-shaped synthetic IDX files (so the
 * test needs no Debian package) and the built-in base model: it must finish with a sane table, not particular
 * numbers.
 */
class FashionShiftBenchmarkTest {

    @Test
    void quickModeProducesARowForEveryMethodWithSaneFigures(@TempDir Path tmp) throws Exception {
        Path idx = IdxFiles.writeFashionMnistLayout(SyntheticFashionMnist.of(600, 3), SyntheticFashionMnist.of(30, 4),
                tmp.resolve("idx"));
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        FashionShiftBenchmark.Options options = FashionShiftBenchmark.Options.parse(
                new String[] {"--quick", "--data", idx.toString(), "--out", out.toString()});
        assertThat(options.inProcess()).isTrue();
        BenchmarkReport report = FashionShiftBenchmark.run(options, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertThat(report.rows()).extracting(BenchmarkReport.Row::arm).containsExactly("linear_probe", "full", "ftp",
                "lora", "pissa", "largo");
        for (BenchmarkReport.Row row : report.rows()) {
            for (BenchmarkReport.Stat stat : new BenchmarkReport.Stat[] {row.idAccuracy(), row.oodMeanAccuracy(),
                    row.oodWorstAccuracy()}) {
                assertThat(stat.mean()).as(row.arm()).isBetween(0.0, 1.0);
                assertThat(stat.n()).isEqualTo(1);
            }
            assertThat(row.oodWorstAccuracy().mean()).isLessThanOrEqualTo(row.oodMeanAccuracy().mean());
            assertThat(row.accuracyByDomain()).containsOnlyKeys(Arrays.stream(Style.values()).map(Style::id).toList());
            assertThat(row.trainableParameters()).isPositive();
            assertThat(row.medianStepMillis()).isPositive().isFinite();
            assertThat(row.peakMemoryMib()).isPositive();
        }
        BenchmarkReport.Row probe = report.rows().get(0);
        BenchmarkReport.Row full = report.rows().get(1);
        BenchmarkReport.Row lora = report.rows().get(3);
        assertThat(probe.trainableParameters()).isEqualTo(96 * 5 + 5);
        assertThat(full.trainableParameters()).isGreaterThan(lora.trainableParameters());
        assertThat(report.learningRates()).containsOnlyKeys(Arrays.stream(MethodType.values()).map(MethodType::id).toList());
        assertThat(report.learningRates().get("largo")).isEqualTo(MethodType.LARGO.defaultLearningRate());
        assertThat(report.sweep()).isEmpty(); // one candidate per method: nothing to sweep
        assertThat(report.trainImages()).isEqualTo(128);
        assertThat(report.testImagesPerStyle()).isEqualTo(64);

        String markdown = Files.readString(out.resolve("results.md"));
        assertThat(markdown).contains("| largo |", "| linear_probe |", "Not swept (one candidate)", "OOD worst");
        assertThat(markdown).doesNotContain("NaN");
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("results.json")));
        assertThat(json.get("rows")).hasSize(6);
        assertThat(json.get("runs")).hasSize(6);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("[6/6]");

        // A second invocation reuses every finished run instead of training again.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        BenchmarkReport repeat = FashionShiftBenchmark.run(options, new PrintStream(again, true, StandardCharsets.UTF_8));
        assertThat(repeat.runs()).isEqualTo(report.runs());
    }

    @Test
    void missingIdxFilesFailWithTheInstallCommand(@TempDir Path tmp) {
        assertThatThrownBy(() -> FashionShiftBenchmark.run(FashionShiftBenchmark.Options.parse(
                new String[] {"--quick", "--data", tmp.toString(), "--out", tmp.resolve("out").toString()}),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(FashionMnistFiles.MissingDatasetException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("train-images-idx3-ubyte.gz");
    }

    @Test
    void optionsRejectBadArguments() {
        assertThatThrownBy(() -> FashionShiftBenchmark.Options.parse(new String[] {"--seeds", "0"}))
                .hasMessageContaining("'--seeds'").hasMessageContaining("needs a positive integer, found 0");
        assertThatThrownBy(() -> FashionShiftBenchmark.Options.parse(new String[] {"--bogus"}))
                .hasMessageContaining("Unknown option: '--bogus'");
        assertThatThrownBy(() -> FashionShiftBenchmark.Options.parse(new String[] {"--quick", "--parallel", "2"}))
                .hasMessageContaining("--parallel needs runs in their own processes");
        assertThatThrownBy(() -> FashionShiftBenchmark.Options.parse(new String[] {"--seeds", "2", "--variant-seeds", "3"}))
                .hasMessageContaining("exceeds the 2 seeds");
        FashionShiftBenchmark.Options standard = FashionShiftBenchmark.Options.parse(
                new String[] {"--seeds", "2", "--variant-seeds", "1", "--parallel", "2"});
        assertThat(standard.settings().variantSeeds()).containsExactly(0L);
        assertThat(standard.parallel()).isEqualTo(2);
        assertThat(standard.settings().seeds()).containsExactly(0L, 1L);
        assertThat(standard.settings().epochs()).isEqualTo(10);
        assertThat(standard.inProcess()).isFalse();
    }
}
