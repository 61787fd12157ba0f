package dev.sift.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}: stack traces with errors. Read by {@link SiftApplication}'s error handler. */
public class VerboseOption {
    @Option(names = "--verbose", description = "show stack traces with errors")
    boolean verbose;
}
