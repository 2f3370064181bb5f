package io.llmc4j.compress.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code llmc} command line. Exit codes: 0 success, 1 failure while running, 2 bad usage
 * (picocli's), 3 bad input (a file, key or value that is wrong; the message names it).
 */
@Command(name = "llmc", mixinStandardHelpOptions = true, version = "llmc4j 0.1.0",
        description = "LLM Compressor for the JVM: compress Hugging Face models into compressed-tensors checkpoints, run and check them.",
        subcommands = {InspectCommand.class})
public final class Llmc {
    /** Exit code for input that is wrong (missing file, bad key, corrupt data). */
    public static final int EXIT_BAD_INPUT = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI with {@code args} and returns the exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Llmc());
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            commandLine.getErr().println("llmc " + commandLine.getCommandName() + ": " + CliErrors.describe(exception));
            return CliErrors.isBadInput(exception) ? EXIT_BAD_INPUT : 1;
        });
        return cli.execute(args);
    }
}
