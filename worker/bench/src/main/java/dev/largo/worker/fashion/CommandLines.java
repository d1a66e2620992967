package dev.largo.worker.fashion;

import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads the benchmark commands' arguments with picocli, into an object whose fields carry its options. */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * Fills {@code command}'s options from {@code args}.
     *
     * @throws IllegalArgumentException naming the argument at fault, followed by the usage text
     */
    public static <T> T parse(T command, String[] args) {
        CommandLine commandLine = new CommandLine(command);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + commandLine.getUsageMessage(), e);
        }
        return command;
    }

    /** A whole number of at least 1 (counts of seeds, epochs, threads, processes, images). */
    public static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("needs a positive integer, found " + value);
        }
    }
}
