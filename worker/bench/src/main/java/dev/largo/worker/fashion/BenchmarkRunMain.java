package dev.largo.worker.fashion;

import dev.largo.worker.engine.support.Json;
import dev.largo.worker.engine.train.TrainingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Child-process entry of {@link FashionShiftBenchmark}: {@code BenchmarkRunMain SPEC.json RESULT.json} runs one
 * {@link RunSpec} and writes its {@link RunResult}, with this process's peak memory as the run's.
 */
public final class BenchmarkRunMain {

    private BenchmarkRunMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BenchmarkRunMain SPEC.json RESULT.json");
        }
        RunSpec spec = Json.MAPPER.readValue(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), RunSpec.class);
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onEpochEnd(int epoch, long step, double meanLoss) {
                System.out.printf("epoch %d step %d mean loss %.4f%n", epoch, step, meanLoss);
            }

            @Override
            public void onMessage(String message) {
                System.out.println(message);
            }
        };
        RunResult result = BenchmarkRun.execute(spec, "run", progress);
        ResultFiles.write(Path.of(args[1]), result);
        System.out.println("done in " + result.wallSeconds() + " s");
    }
}
