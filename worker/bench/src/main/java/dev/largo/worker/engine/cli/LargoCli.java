package dev.largo.worker.engine.cli;

import dev.largo.worker.engine.bench.EngineBenchmark;
import dev.largo.worker.engine.bench.SideBySideBenchmark;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The engine's command line: {@code train}, {@code bench} and {@code compare} (the engine against a PyTorch
 * reference), each with {@code --help}. Run it with {@code worker/bin/largo <command> ...}. A usage error (an
 * unknown option, a missing or malformed value) exits with 2 after naming it and printing the command's usage.
 */
@Command(name = "largo", mixinStandardHelpOptions = true,
        description = "The training engine's command line, without any database.")
public final class LargoCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(execute(System.out, args));
    }

    /** Runs one command line, its output on {@code out}; answers the exit code. */
    public static int execute(PrintStream out, String... args) {
        CommandLine cli = new CommandLine(new LargoCli())
                .addSubcommand(new TrainCommand(out))
                .addSubcommand(new EngineBenchmark.BenchCommand(out))
                .addSubcommand(new SideBySideBenchmark.CompareCommand(out));
        // a value the commands themselves refuse (an unknown shape or method) is a usage error too
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof IllegalArgumentException)) {
                throw e;
            }
            command.getErr().println("error: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    /** Without a command: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }
}
