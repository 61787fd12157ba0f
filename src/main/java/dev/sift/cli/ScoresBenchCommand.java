package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.BenchData;
import dev.sift.history.Table;
import dev.sift.store.ScoreWriteBenchmark;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench scores}: {@link ScoreWriteBenchmark}. */
@Command(name = "scores", description = "Writing per-sample scores into PostgreSQL (needs the database): N scores "
        + "of one method as arrays, as the score stage writes them, against the layout before V15 (one row per "
        + "sample by COPY), in alternating rounds under a throwaway run; prints each round, the median ratio and "
        + "the load average.")
public class ScoresBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1000000", description = "scores (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--rounds", defaultValue = "3", description = "alternating rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Mixin
    VerboseOption verbose;

    @Inject
    ScoreWriteBenchmark benchmark;

    @Override
    public Integer call() {
        if (rows < 1 || rounds < 1) {
            throw SiftException.usage("bench scores needs --rows and --rounds of at least 1");
        }
        System.out.println("load average before: " + BenchData.loadAverage());
        List<ScoreWriteBenchmark.Round> r = benchmark.run(rows, rounds, 1);
        Table t = new Table(List.of("round", "arrays_s", "row_copy_s", "row_copy_over_arrays", "scores_per_s"));
        for (int i = 0; i < r.size(); i++) {
            t.add(i + 1, r.get(i).arraySeconds(), r.get(i).rowsSeconds(), r.get(i).ratio(),
                    rows / r.get(i).arraySeconds());
        }
        System.out.print(t.text());
        double[] arrays = r.stream().mapToDouble(ScoreWriteBenchmark.Round::arraySeconds).sorted().toArray();
        double[] ratio = r.stream().mapToDouble(ScoreWriteBenchmark.Round::ratio).sorted().toArray();
        System.out.printf("median: arrays %.2f s for %d scores, row COPY / arrays %.2fx (range %.2f-%.2fx over %d "
                + "rounds)%n", arrays[arrays.length / 2], rows, ratio[ratio.length / 2], ratio[0],
                ratio[ratio.length - 1], ratio.length);
        System.out.println("load average after: " + BenchData.loadAverage());
        return ExitCodes.OK;
    }
}
