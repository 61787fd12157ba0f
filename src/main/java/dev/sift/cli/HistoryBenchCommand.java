package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.HistoryBenchmark;
import dev.sift.history.Table;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench history}: {@link HistoryBenchmark}. */
@Command(name = "history", description = "Experiment history at scale (needs the database): writes N generated runs "
        + "(workflow '" + HistoryBenchmark.WORKFLOW + "', with parameters, metrics and comparisons), times runs list "
        + "plain, with --where and --order-by, runs compare of 2 and 10 runs, and report of one run alone and beside "
        + "3 others (median of repeats, query and rendering; a report's rows are its charts), and deletes the "
        + "generated runs again unless --keep.")
public class HistoryBenchCommand implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "10000", description = "generated runs (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--repeats", defaultValue = "7", description = "timed repetitions of each command, after one "
            + "warm-up (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the generated runs (default: "
            + "${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--keep", description = "keep the generated runs (delete them later with another bench history "
            + "run, which first deletes what an earlier one left)")
    boolean keep;

    @Mixin
    VerboseOption verbose;

    @Inject
    HistoryBenchmark benchmark;

    @Override
    public Integer call() {
        if (runs < 10 || repeats < 1) {
            throw SiftException.usage("bench history needs --runs of at least 10 and --repeats of at least 1");
        }
        HistoryBenchmark.Result r = benchmark.run(runs, repeats, keep, seed);
        System.out.printf("generated %d runs with %d metric rows in %.1f s%n", r.runs(), r.metricRows(),
                r.generateSeconds());
        Table t = new Table(List.of("command", "rows", "median_ms", "ratio_to_plain_list"));
        r.timings().forEach(x -> t.add(x.command(), x.rows(), x.medianMs(), x.ratio()));
        System.out.print(t.text());
        System.out.println(keep ? "kept the generated runs (workflow " + HistoryBenchmark.WORKFLOW + ")"
                : String.format("deleted the generated runs in %.1f s", r.deleteSeconds()));
        return ExitCodes.OK;
    }
}
