package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.largo.worker.engine.method.MethodRegistry;
import dev.largo.worker.engine.method.largo.DeviationNorm;
import dev.largo.worker.engine.method.largo.LargoConfig;
import dev.largo.worker.engine.method.lora.LoraInit;
import dev.largo.worker.engine.train.MethodConfig;
import dev.largo.worker.engine.train.MethodType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchmarkPartsTest {

    /**
     * The benchmarks sweep what each method's registration declares: the protocol's three points per method
     * (worker/engine/docs/largo.md §3), each around the method's own default rate; joint declares none (lora's rate).
     */
    @Test
    void theLearningRateGridsAreTheRegistrys() {
        Map<String, List<Double>> single = BenchmarkSettings.standard().learningRateGrid();
        assertThat(single).containsOnlyKeys(java.util.Arrays.stream(MethodType.values()).map(MethodType::id).toList());
        assertThat(single).containsEntry("linear_probe", List.of(1e-3, 3e-3, 1e-2))
                .containsEntry("full", List.of(3e-5, 1e-4, 3e-4)).containsEntry("ftp", List.of(3e-5, 1e-4, 3e-4))
                .containsEntry("largo", List.of(3e-4, 1e-3, 3e-3)).containsEntry("pissa", List.of(3e-4, 1e-3, 3e-3));
        Map<String, List<Double>> continual = ContinualSettings.standard().learningRateGrid();
        assertThat(continual).containsOnlyKeys("gorp", "lora", "full", "largo")
                .containsEntry("gorp", List.of(3e-4, 1e-3, 3e-3)).containsEntry("full", List.of(3e-5, 1e-4, 3e-4));
        for (var grid : List.of(single, continual)) {
            grid.forEach((id, rates) -> {
                assertThat(rates).as(id).isEqualTo(MethodRegistry.get(id).learningRateGrid())
                        .contains(MethodRegistry.get(id).defaultLearningRate());
            });
        }
        assertThat(MethodRegistry.get("joint").learningRateGrid()).isEmpty();
        assertThat(BenchmarkSettings.quick().learningRateGrid().get("ftp")).containsExactly(1e-4);
    }

    @Test
    void armsChangeExactlyOneSettingOfTheirMethod() {
        assertThat(BenchmarkArm.methods()).extracting(BenchmarkArm::name)
                .containsExactly("linear_probe", "full", "ftp", "lora", "pissa", "largo");
        assertThat(BenchmarkArm.methods()).allMatch(BenchmarkArm::isMethodDefault);
        assertThat(BenchmarkArm.variants()).noneMatch(BenchmarkArm::isMethodDefault);
        assertThat(BenchmarkArm.of(MethodType.LARGO).methodConfig()).isEqualTo(MethodConfig.defaults(MethodType.LARGO));

        BenchmarkArm minor = BenchmarkArm.variants().stream().filter(a -> a.name().contains("svd_minor")).findFirst()
                .orElseThrow();
        assertThat(minor.methodConfig().lora().init()).isEqualTo(LoraInit.SVD_MINOR);
        assertThat(minor.methodConfig().largo()).isEqualTo(LargoConfig.DEFAULT);
        BenchmarkArm frobenius = BenchmarkArm.variants().stream().filter(a -> a.name().contains("frobenius"))
                .findFirst().orElseThrow();
        assertThat(frobenius.methodConfig().largo()).isEqualTo(LargoConfig.DEFAULT.withNorm(DeviationNorm.FROBENIUS));
        assertThat(frobenius.slug()).isEqualTo("largo-norm-frobenius");
        BenchmarkArm mu = BenchmarkArm.variants().stream().filter(a -> a.name().contains("mu")).findFirst().orElseThrow();
        assertThat(mu.methodConfig().largo().mu()).isEqualTo(1e-3f);
        assertThat(mu.slug()).isEqualTo("largo-mu-1e-3");
        assertThat(BenchmarkArm.variants().stream().filter(BenchmarkArm::headWarmup).map(BenchmarkArm::type))
                .containsExactly(MethodType.LORA, MethodType.LARGO);
        assertThatThrownBy(() -> BenchmarkArm.of(MethodType.LORA).withMu(1e-3f).methodConfig())
                .hasMessageContaining("only to methods that project");
    }

    @Test
    void sweepPicksTheBestValidationAccuracyThenLowerLossThenSmallerRate() {
        List<RunResult> runs = List.of(
                sweepRun(MethodType.LORA, 3e-4, 0.80, 0.50),
                sweepRun(MethodType.LORA, 1e-3, 0.85, 0.45),
                sweepRun(MethodType.LORA, 3e-3, 0.85, 0.40),
                sweepRun(MethodType.FULL, 1e-4, 0.70, 0.60),
                sweepRun(MethodType.FULL, 3e-4, 0.70, 0.60));
        assertThat(LearningRateSweep.choose(runs)).containsExactly(Map.entry("lora", 3e-3), Map.entry("full", 1e-4));
        assertThat(LearningRateSweep.entries(runs)).extracting(LearningRateSweep.Entry::chosen)
                .containsExactly(false, false, true, true, false);
        RunResult testRun = run(MethodType.LORA, 1e-3, RunSpec.TEST, 0.9, 0.3);
        assertThatThrownBy(() -> LearningRateSweep.choose(List.of(testRun)))
                .hasMessageContaining("not evaluated on the validation split");
    }

    @Test
    void theSweepGoesOneHalfDecadePastAnEdgeWinner() {
        List<Double> grid = List.of(1e-3, 3e-3, 1e-2);
        assertThat(LearningRateSweep.beyondEdge(grid, 1e-2)).contains(3e-2);
        assertThat(LearningRateSweep.beyondEdge(List.of(1e-3, 3e-3, 1e-2, 3e-2), 3e-2)).contains(1e-1);
        assertThat(LearningRateSweep.beyondEdge(List.of(3e-5, 1e-4, 3e-4), 3e-5)).contains(1e-5);
        assertThat(LearningRateSweep.beyondEdge(List.of(1e-5, 3e-5, 1e-4), 1e-5)).contains(3e-6);
        assertThat(LearningRateSweep.beyondEdge(grid, 3e-3)).isEmpty();
        assertThat(LearningRateSweep.beyondEdge(List.of(1e-3), 1e-3)).isEmpty();
    }

    @Test
    void statsAreMeanAndSampleStandardDeviation() {
        BenchmarkReport.Stat stat = BenchmarkReport.Stat.of(new double[] {0.80, 0.82, 0.84});
        assertThat(stat.mean()).isCloseTo(0.82, within(1e-12));
        assertThat(stat.std()).isCloseTo(0.02, within(1e-12));
        assertThat(BenchmarkReport.Stat.of(new double[] {0.5}).std()).isZero();
    }

    @Test
    void aSingleRunShowsItsCountNotAZeroSpread() {
        assertThat(BenchmarkReport.stat(BenchmarkReport.Stat.of(new double[] {0.5}))).isEqualTo("50.0 (n = 1)");
        assertThat(BenchmarkReport.stat(BenchmarkReport.Stat.of(new double[] {0.80, 0.82, 0.84}))).isEqualTo("82.0 ± 2.0");
    }

    @Test
    void domainsWhereEveryArmIsAtOrBelowChanceAreNamed() {
        java.util.Map<String, BenchmarkReport.Stat> probe = byDomain(0.18, 0.50);
        java.util.Map<String, BenchmarkReport.Stat> tuned = byDomain(0.20, 0.19);
        List<BenchmarkReport.Row> rows = List.of(row("linear_probe", probe), row("largo", tuned));
        // invert: 18 % and 20 %, both at or below 1/5; rotate: the probe is above, so it is not flagged
        assertThat(BenchmarkReport.domainsAtOrBelowChance(rows, 0.2)).containsExactly("invert");
    }

    private static java.util.Map<String, BenchmarkReport.Stat> byDomain(double invert, double rotate) {
        java.util.Map<String, BenchmarkReport.Stat> byDomain = new java.util.LinkedHashMap<>();
        for (dev.largo.worker.engine.data.styles.Style style : dev.largo.worker.engine.data.styles.Style.values()) {
            double value = style.id().equals("invert") ? invert : style.id().equals("rotate") ? rotate : 0.9;
            byDomain.put(style.id(), BenchmarkReport.Stat.of(new double[] {value}));
        }
        return byDomain;
    }

    private static BenchmarkReport.Row row(String arm, java.util.Map<String, BenchmarkReport.Stat> byDomain) {
        BenchmarkReport.Stat any = BenchmarkReport.Stat.of(new double[] {0.5});
        return new BenchmarkReport.Row(arm, arm, false, 1e-3, any, any, any, byDomain, 1, 1, 1, "run");
    }

    private static RunResult sweepRun(MethodType type, double lr, double accuracy, double loss) {
        return run(type, lr, RunSpec.VALIDATION, accuracy, loss);
    }

    private static RunResult run(MethodType type, double lr, String evaluation, double accuracy, double loss) {
        RunSpec spec = new RunSpec(BenchmarkArm.of(type), lr, 0, evaluation, 1, 64, 0, 0.1, 1.0, 0, "d", "b", "w");
        return new RunResult(spec, Map.of("clean", accuracy), accuracy, null, null, loss, 10, 1, 1.0, 100, "run", 1.0);
    }
}
