package dev.largo.worker.fashion;

import dev.largo.worker.engine.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The command-line arguments both fashion-shift benchmarks take (where the data and base model are, where the
 * results go, how runs are executed): a picocli mixin each benchmark's own arguments include.
 */
final class CommonBenchmarkArgs {

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX files")
    Path data = FashionMnist.DEFAULT_DIRECTORY;
    @Option(names = "--out", paramLabel = "DIR", description = "where results and cached runs go")
    Path out = Path.of("fashion-shift-results");
    @Option(names = "--base-model", paramLabel = "DIR", description = "base model folder (default: the built-in)")
    Path baseModel;
    @Option(names = "--quick", description = "CI-sized settings; runs in this process unless --child-processes")
    boolean quick;
    @Option(names = "--threads", paramLabel = "N", converter = CommandLines.Positive.class,
            description = "libtorch threads per run")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--parallel", paramLabel = "N", converter = CommandLines.Positive.class,
            description = "runs at a time, each in its own process")
    int parallel = 1;
    private Boolean inProcess;
    @Option(names = "--fresh", description = "retrain runs whose results are cached")
    boolean fresh;

    @Option(names = "--in-process", description = "every run in this process")
    void inProcess(boolean ignored) {
        inProcess = true;
    }

    @Option(names = "--child-processes", description = "every run in a process of its own")
    void childProcesses(boolean ignored) {
        inProcess = false;
    }

    /** Whether runs execute in this process: as asked, else only in quick mode; checked against --parallel. */
    boolean oneProcess() {
        boolean oneProcess = inProcess != null ? inProcess : quick;
        if (oneProcess && parallel > 1) {
            throw new IllegalArgumentException("--parallel needs runs in their own processes (--child-processes)");
        }
        return oneProcess;
    }
}
