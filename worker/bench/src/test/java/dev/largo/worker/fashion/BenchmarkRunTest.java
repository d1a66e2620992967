package dev.largo.worker.fashion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.largo.worker.builtin.BuiltinAssets;
import dev.largo.worker.builtin.FashionShift;
import dev.largo.worker.engine.train.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run through the engine, in this process and in a child JVM: same numbers, per-run peak memory. */
class BenchmarkRunTest {

    @Test
    void aChildProcessRunMatchesTheSameRunInProcess(@TempDir Path tmp) throws Exception {
        BenchmarkSettings settings = new BenchmarkSettings(1, 32, java.util.List.of(0L), java.util.List.of(0L), 0, 1, 0.1, 1.0, 0.0,
                BenchmarkSettings.quick().learningRateGrid(), false, 64, 32, 40);
        BenchmarkData data = BenchmarkData.write(new FashionShift(SyntheticFashionMnist.of(600, 5),
                SyntheticFashionMnist.of(10, 6)), settings, tmp.resolve("data"));
        Path base = BuiltinAssets.baseModel().copyTo(tmp.resolve("base"));
        RunSpec spec = new RunSpec(BenchmarkArm.of(MethodType.LORA), 1e-3, 7, RunSpec.TEST, 1, 32, 0, 0.1, 1.0, 0,
                data.directory().toString(), base.toString(), tmp.resolve("work").toString());

        RunResult inProcess = RunExecutor.inProcess().run(spec);
        // Same libtorch thread count as this JVM: reductions split alike, so the numbers must match exactly.
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        RunResult child = RunExecutor.childProcess(tmp.resolve("runs"), threads, "512m").run(spec);

        assertThat(child.accuracyByDomain()).isEqualTo(inProcess.accuracyByDomain());
        assertThat(child.idLoss()).isCloseTo(inProcess.idLoss(), org.assertj.core.api.Assertions.within(1e-6));
        assertThat(child.steps()).isEqualTo(2);
        assertThat(child.trainableParameters()).isEqualTo(inProcess.trainableParameters());
        assertThat(child.peakMemoryScope()).isEqualTo("run");
        assertThat(child.peakMemoryMib()).isBetween(50.0, 4096.0);
        assertThat(child.accuracyByDomain()).hasSize(6);
        assertThat(child.oodWorstAccuracy()).isLessThanOrEqualTo(child.oodMeanAccuracy());
        assertThat(Files.exists(tmp.resolve("work"))).as("scratch directory removed").isFalse();
        assertThat(Files.readString(tmp.resolve("runs").resolve(spec.label() + ".log"))).contains("done in");
    }
}
