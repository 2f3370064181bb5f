package io.llmc4j.compress.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/**
 * The {@code llmc} command line. Exit codes: 0 success, 1 failure while running, 2 bad usage
 * (an unknown or missing option, or a value wrong on its own: {@link OptionValues}), 3 bad input (a file, key or value that is wrong; the message names it).
 *
 * <p>Commands write results to standard output and notes (which default was used) and errors to
 * standard error, so {@code --json} output can be piped.
 */
@Command(name = "llmc", mixinStandardHelpOptions = true, version = "llmc4j 0.1.0",
        description = "LLM Compressor for the JVM: compress Hugging Face models into compressed-tensors checkpoints, run and check them.",
        subcommands = {InspectCommand.class, EvalCommand.class, LogitsCommand.class, GenerateCommand.class, SynthCommand.class, OneshotCommand.class, QuantizeFilesCommand.class, DemoCommand.class, TraceCommand.class})
public final class Llmc {
    /** Exit code for bad usage: an unknown or missing option, or an option value that is wrong on its own. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for input that is wrong (missing file, bad key, corrupt data). */
    public static final int EXIT_BAD_INPUT = 3;

    private final CliEnvironment environment;

    Llmc(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Where this invocation runs (working directory, launcher repository, cache). */
    CliEnvironment environment() {
        return environment;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI with {@code args} in the real process environment and returns the exit code. */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        return run(CliEnvironment.fromSystem(), out, err, args);
    }

    /**
     * Runs the CLI with {@code args} in {@code environment}, writing to {@code out} and {@code err},
     * and returns the exit code (the entry point for tests).
     */
    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Llmc(environment));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((exception, args2) -> usageError(exception));
        cli.setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof ParameterException usage) return usageError(usage);
            if (exception.getCause() instanceof OutOfMemoryError exhausted) {
                commandLine.getErr().println(outOfMemory(commandLine.getCommandName(), exhausted, Runtime.getRuntime().maxMemory()));
                return 1;
            }
            commandLine.getErr().println("llmc " + commandLine.getCommandName() + ": " + CliErrors.describe(exception));
            return CliErrors.isBadInput(exception) ? EXIT_BAD_INPUT : 1;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError exhausted) {
            err.println(outOfMemory(args.length == 0 ? "" : args[0], exhausted, Runtime.getRuntime().maxMemory()));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The one line printed instead of a stack trace when the Java heap runs out: the command, what ran
     * out, the heap limit, and how to raise it or keep intermediates off the heap.
     */
    static String outOfMemory(String command, OutOfMemoryError exhausted, long maxHeapBytes) {
        String what = exhausted.getMessage() == null ? "memory" : exhausted.getMessage();
        return String.format(java.util.Locale.ROOT,
                "llmc %s: out of memory (%s) with a Java heap limit of %d MiB; model weights are memory-mapped and need little heap, "
                        + "but activations and intermediates live there: use fewer or shorter samples, oneshot's --offload off-heap|disk, "
                        + "or raise the limit with LLMC_JAVA_OPTS=-Xmx8g",
                command, what, maxHeapBytes >> 20);
    }

    /**
     * Bad usage: the message (which names the option) and where to read more, on two lines; exit
     * {@link #EXIT_USAGE}. Picocli's full usage text is left to {@code --help}.
     */
    private static int usageError(ParameterException exception) {
        CommandLine command = exception.getCommandLine();
        String name = command.getCommandSpec().qualifiedName(" ");
        command.getErr().println(name + ": " + exception.getMessage());
        command.getErr().println("Try '" + name + " --help' for more information.");
        return EXIT_USAGE;
    }
}
