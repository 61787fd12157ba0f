package dev.sift.cli;

import picocli.CommandLine.Command;

/** {@code sift bench}: the benchmarks, one subcommand each; only {@code history} needs a database. */
@Command(name = "bench", description = "Benchmarks (no database needed, except by history and scores).", subcommands = {
    ModelBenchCommand.class, NoiseBenchCommand.class, KnnBenchCommand.class, GrandBenchCommand.class,
    AlignmentBenchCommand.class, HistoryBenchCommand.class, StartBenchCommand.class, IngestBenchCommand.class,
    HashedBenchCommand.class, ScoresBenchCommand.class, EmbedBenchCommand.class})
public class BenchCommand {
}
