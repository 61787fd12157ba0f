package dev.sift.cli;

import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import picocli.CommandLine;

/** Runs the picocli command tree inside Quarkus, with one place that turns errors into exit codes. */
public class SiftApplication implements QuarkusApplication {
    @Inject
    CommandLine.IFactory factory;

    @Override
    public int run(String... args) {
        CommandLine cl = new CommandLine(SiftCommand.class, factory);
        cl.setExecutionExceptionHandler(SiftApplication::handle);
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed != null && parsed.expandedArgs().contains("--verbose");
        Throwable t = e;
        while (!(t instanceof SiftException) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof SiftException se) {
            System.err.println("sift: " + se.getMessage());
            if (verbose) {
                e.printStackTrace();
            }
            return se.exitCode();
        }
        System.err.println("sift: error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + (verbose ? "" : " (--verbose shows the stack trace)"));
        if (verbose) {
            e.printStackTrace();
        }
        return ExitCodes.FAILURE;
    }
}
