package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.bench.EngineBenchmark;
import dev.largo.worker.engine.bench.SideBySideBenchmark;
import java.util.Arrays;

/**
 * The engine's command line: {@code train --config job.json --out DIR [--resume CHECKPOINT]} and
 * {@code bench [options]} and {@code compare [options]} (the engine against a PyTorch reference). Run it with {@code worker/bin/largo <command> ...}.
 */
public final class LargoCli {

    private LargoCli() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        if (args.length == 0) {
            System.err.println("usage: largo train --config job.json --out DIR [--resume CHECKPOINT]");
            System.err.println("       largo bench [--steps N] [--warmup N] [--batch N] [--threads N] [--interop N]"
                    + " [--shape builtin|perf|vit-b16] [--methods lora,largo,...] [--json FILE]");
            System.err.println("       largo compare [--shapes builtin,perf,vit-b16] [--methods full,lora,largo]"
                    + " [--threads 1,2] [--rounds N] [--steps N] [--warmup N] [--batch N] [--before CLASSPATH]"
                    + " [--json FILE]");
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code;
        try {
            code = switch (args[0]) {
                case "train" -> TrainCommand.run(rest, System.out);
                case "bench" -> EngineBenchmark.main(rest, System.out);
                case "compare" -> SideBySideBenchmark.main(rest, System.out);
                default -> throw new IllegalArgumentException("unknown command " + args[0]
                        + " (train, bench, compare)");
            };
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }
}
