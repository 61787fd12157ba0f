package dev.sift.cli;

import picocli.CommandLine.Command;

/** {@code sift bench}: the benchmarks, one subcommand each; none needs a database. */
@Command(name = "bench", description = "Benchmarks (no database needed).", subcommands = {ModelBenchCommand.class,
    NoiseBenchCommand.class, KnnBenchCommand.class, GrandBenchCommand.class, AlignmentBenchCommand.class})
public class BenchCommand {
}
