package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.FashionMnist;
import java.nio.file.Path;

/**
 * The command-line arguments both fashion-shift benchmarks take (where the data and base model are, where the
 * results go, how runs are executed), parsed in one place; each benchmark parses its own settings around them.
 */
final class CommonBenchmarkArgs {

    /** Usage text of these arguments, for a benchmark's usage line. */
    static final String USAGE = "[--out DIR] [--data DIR] [--base-model DIR] [--quick] [--threads N] [--parallel N]"
            + " [--in-process|--child-processes] [--fresh]";

    Path data = FashionMnist.DEFAULT_DIRECTORY;
    Path out = Path.of("fashion-shift-results");
    Path baseModel;
    boolean quick;
    int threads = Runtime.getRuntime().availableProcessors();
    int parallel = 1;
    private Boolean inProcess;
    boolean fresh;

    /**
     * Takes {@code args[i]} (and its value) when it is one of these arguments.
     *
     * @return the index of the last argument consumed, or -1 when {@code args[i]} is not one of them
     */
    int consume(String[] args, int i) {
        switch (args[i]) {
            case "--data" -> data = Path.of(value(args, ++i));
            case "--out" -> out = Path.of(value(args, ++i));
            case "--base-model" -> baseModel = Path.of(value(args, ++i));
            case "--quick" -> quick = true;
            case "--threads" -> threads = positive(args, ++i);
            case "--parallel" -> parallel = positive(args, ++i);
            case "--in-process" -> inProcess = true;
            case "--child-processes" -> inProcess = false;
            case "--fresh" -> fresh = true;
            default -> {
                return -1;
            }
        }
        return i;
    }

    /** Whether runs execute in this process: as asked, else only in quick mode; checked against --parallel. */
    boolean oneProcess() {
        boolean oneProcess = inProcess != null ? inProcess : quick;
        if (oneProcess && parallel > 1) {
            throw new IllegalArgumentException("--parallel needs runs in their own processes (--child-processes)");
        }
        return oneProcess;
    }

    static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static int positive(String[] args, int i) {
        String text = value(args, i);
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[i - 1] + " needs a positive integer, found " + text);
        }
    }
}
