package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.store.DatabaseSessions;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Runs the picocli command tree inside Quarkus. Errors become exit codes in one place: {@link #EXIT_CODES}
 * (picocli's exit-code mapper) says which code, {@link #handle} prints the one line.
 */
public class SiftApplication implements QuarkusApplication {
    /**
     * A {@link SiftException} anywhere in the cause chain carries its code; picocli's parse errors (unknown option,
     * missing or malformed argument), which it hands to this mapper too, are usage errors; anything else is a
     * failure.
     */
    static final CommandLine.IExitCodeExceptionMapper EXIT_CODES = e -> {
        if (e instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        SiftException se = siftCause(e);
        return se != null ? se.exitCode() : ExitCodes.FAILURE;
    };

    @Inject
    CommandLine.IFactory factory;

    @Override
    public int run(String... args) {
        try {
            return commandLine(factory).execute(args);
        } catch (OutOfMemoryError e) { // an Error, which picocli's handler never sees: Quarkus printed its whole trace
            try {
                String line = outOfMemory(MAX_HEAP, e.getMessage());
                dev.sift.store.InterruptedRuns.because(line.substring("sift: ".length()));
                System.err.println(line);
                if (java.util.Arrays.asList(args).contains("--verbose")) {
                    e.printStackTrace();
                }
            } catch (OutOfMemoryError again) { // still full: the constant line
                System.err.println("sift: out of memory");
            }
            return ExitCodes.ENVIRONMENT;
        }
    }

    private static final long MAX_HEAP = Runtime.getRuntime().maxMemory();

    /**
     * One line for a command that ran out of memory (a probe's {@code bench grand --batch 2000000000}); the heap's
     * advice only where the heap is what ran out ({@code what}: the error's message, "Java heap space", "Metaspace").
     */
    static String outOfMemory(long maxHeapBytes, String what) {
        String w = what == null ? "Java heap space" : what;
        boolean heap = w.contains("heap") || w.contains("array size") || w.contains("GC overhead");
        return "sift: out of memory (" + w + (heap ? "; the heap holds " + (maxHeapBytes >> 20) + " MiB" : "")
                + "): ask for less (smaller --batch, --train, --samples or data)" + (heap ? " or give the JVM more "
                + "heap (SIFT_JAVA_OPTS=-Xmx8g)" : "") + "; a run it stopped is resumable (sift resume)";
    }

    /** The command tree with Sift's error handling; every command answers {@code --help} and {@code -h}. */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cl = new CommandLine(SiftCommand.class, factory);
        cl.setExitCodeExceptionMapper(EXIT_CODES);
        cl.setExecutionExceptionHandler(SiftApplication::handle);
        cl.setParameterExceptionHandler((e, args) -> {
            if (String.valueOf(e.getMessage()).startsWith("Missing required subcommand")) {
                // 'sift' or 'sift runs' alone: the list of commands is the answer, not an error line
                e.getCommandLine().usage(e.getCommandLine().getErr());
                return ExitCodes.USAGE;
            }
            e.getCommandLine().getErr().println(oneLine(e));
            e.getCommandLine().getErr().flush();
            return ExitCodes.USAGE;
        });
        // decimal numbers only: Java's parser also takes 0x1p-1, 1d and 0.5f, which no other Sift input accepts
        CommandLine.ITypeConverter<Double> decimal = SiftApplication::decimal;
        cl.registerConverter(Double.class, decimal);
        cl.registerConverter(Double.TYPE, decimal);
        cl.registerConverter(java.nio.file.Path.class, SiftApplication::path);
        addHelp(cl);
        return cl;
    }

    /** A command-line number as written in decimal (an exponent allowed), or a conversion error naming it. */
    static Double decimal(String text) {
        if (!text.strip().matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a decimal number");
        }
        return Double.valueOf(text.strip());
    }

    /**
     * A path argument; one the locale cannot name (non-ASCII under LANG=C: a probe's workflow path read "cannot
     * convert '...??n?? ???...' to interface java.nio.file.Path") says what to do.
     */
    static java.nio.file.Path path(String text) {
        try {
            return java.nio.file.Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException(dev.sift.IoReason.invalidPath(text, e));
        }
    }

    /**
     * A parse error (unknown command or option, missing or malformed argument) as one line, with picocli's
     * suggestions for a misspelling and the help command to read, instead of the message and the whole usage text.
     */
    static String oneLine(CommandLine.ParameterException e) {
        // "option option '": picocli's words for a map option's value without '='
        String message = e.getMessage() == null ? "invalid arguments" : Text.visible(e.getMessage().strip()
                .replaceAll("\\s*\\R\\s*", " ").replace("option option '", "option '"));
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", u.getSuggestions().stream().map(x -> "'" + x + "'")
                    .toList()) + "?";
        }
        return "sift: " + message + " ('" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' shows the "
                + "usage)";
    }

    private static void addHelp(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null) {
                spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help message and exit.").build());
            }
            addHelp(sub);
        }
    }

    private static SiftException siftCause(Throwable e) {
        Throwable t = e;
        while (!(t instanceof SiftException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t instanceof SiftException se ? se : null;
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed != null && parsed.expandedArgs().contains("--verbose");
        SiftException se = siftCause(e);
        boolean lost = se == null && DatabaseSessions.isLoss(e);
        if (se == null && dev.sift.store.InterruptedRuns.shuttingDown()) {
            // SIGTERM or Ctrl-C: the shutdown hook has said what became of the runs; what fails under a closing
            // Quarkus (a closed EntityManagerFactory) is the stop itself, not an error of the command
            if (verbose) {
                e.printStackTrace();
            }
            return ExitCodes.FAILURE;
        }
        // one line whatever the message quotes (a value holding a newline ran over two; an escape sequence reached
        // the terminal): dev.sift.data.Text.visible
        if (se != null) {
            System.err.println("sift: " + Text.visible(se.getMessage()));
        } else if (lost) {
            System.err.println("sift: lost the database connection: " + Text.visible(e.getMessage()) + " (nothing "
                    + "stored is lost; run the command again once the database is back)");
        } else if (e instanceof dev.sift.workflow.WorkflowException w) { // a stored workflow's, each line its own
            System.err.println("sift: " + String.join("; ", w.errors()));
        } else {
            System.err.println("sift: error: " + e.getClass().getSimpleName() + ": " + Text.visible(e.getMessage())
                    + (verbose ? "" : " (--verbose shows the stack trace)"));
        }
        if (verbose) {
            e.printStackTrace();
        }
        return lost ? ExitCodes.ENVIRONMENT : cl.getExitCodeExceptionMapper().getExitCode(e);
    }
}
