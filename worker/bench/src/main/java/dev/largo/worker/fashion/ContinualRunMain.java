package dev.largo.worker.fashion;

import dev.largo.worker.engine.continual.ContinualListener;
import dev.largo.worker.engine.continual.TaskOutcome;
import dev.largo.worker.engine.support.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Child-process entry of {@link ContinualBenchmark}: {@code ContinualRunMain SPEC.json RESULT.json}. */
public final class ContinualRunMain {

    private ContinualRunMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ContinualRunMain SPEC.json RESULT.json");
        }
        ContinualRunSpec spec = Json.MAPPER.readValue(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8),
                ContinualRunSpec.class);
        ContinualListener progress = new ContinualListener() {
            @Override
            public void onEpochEnd(int epoch, long step, double meanLoss) {
                System.out.printf("epoch %d step %d mean loss %.4f%n", epoch, step, meanLoss);
            }

            @Override
            public void onTaskEnd(TaskOutcome outcome) {
                System.out.println("after task " + outcome.taskIndex() + " (" + outcome.taskName() + "): "
                        + Arrays.toString(outcome.accuracyRow()));
            }
        };
        ContinualRunResult result = ContinualRun.execute(spec, progress);
        ResultFiles.write(Path.of(args[1]), result);
        System.out.println("done in " + result.wallSeconds() + " s");
    }
}
