package dev.sift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.RunComparison;
import dev.sift.history.Table;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs compare RUN RUN...}: {@link RunComparison}. */
@Command(name = "compare", description = "Runs side by side: resolved workflow parameters (flattened keys such as "
        + "filter.keep), test metrics (mean over seeds) per iteration and subset with each run's difference from the "
        + "first run, and the kept subset's difference from random with its 95%% paired bootstrap interval where the "
        + "runs stored one; with --pooled, the kept subset's differences pooled over the runs (one run per noise "
        + "seed, split or data set) with intervals over the runs.")
public class CompareCommand implements Callable<Integer>, ArgumentCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the pooled table's columns mean, under its title (here and in sift sweep). */
    static final String POOLED_HEADING = "each run a mean over its seeds; 95% percentile bootstrap over the runs; "
            + "recovered share: (kept - full) / (full-clean - full) of the means over the runs; for rmse and log_loss "
            + "a difference above 0 is worse";

    @Parameters(arity = "2..*", paramLabel = "RUN", description = "run ids; the first is what the others are "
            + "compared with")
    List<Long> runIds;

    @Option(names = "--only-changed", description = "show only the parameters whose values differ between the runs")
    boolean onlyChanged;

    @Option(names = "--iteration", paramLabel = "K|last|best", description = "read every run's metrics from "
            + "iteration K; last: each run's last iteration with test metrics; best: each run's iteration whose kept "
            + "subset has the highest test kappa (NDCG@k for regression), so best is chosen on the test split. "
            + "Default: every iteration, row by row")
    String iteration;

    @Option(names = "--pooled", description = "also pool over the runs (one per noise seed, split or data set), per "
            + "metric: the mean of kept minus every other subset they have (random, full, random-train, the free "
            + "baselines), and where the runs injected noise, full - full-clean and the share of it won back (of the "
            + "means; only where that cost is measurable over the runs), each with a 95%% percentile bootstrap "
            + "interval over the runs (from 5 runs) and how many runs were above, at and below 0. Runs of one task "
            + "type; iteration 1 unless --iteration K or last says otherwise")
    boolean pooled;

    @Mixin
    OutputOptions output;

    @Option(names = "--table", paramLabel = "NAME", description = "only this table: runs, parameters, metrics or "
            + "kept_vs_random, or pooled with --pooled (CSV without it: each table under a '# NAME' line)")
    String table;

    @Mixin
    VerboseOption verbose;

    @Inject
    RunComparison comparison;

    private static java.util.Map<String, Table> tables(RunComparison.Result r) {
        java.util.Map<String, Table> out = new java.util.LinkedHashMap<>();
        out.put("runs", r.runs());
        out.put("parameters", r.parameters());
        out.put("metrics", r.metrics());
        out.put("kept_vs_random", r.intervals());
        if (r.pooled() != null) {
            out.put("pooled", r.pooled());
        }
        return out;
    }

    @Override
    public void checkArguments() {
        String it = iterationKey();
        if (pooled && it.equals("best")) {
            throw SiftException.usage("--pooled with --iteration best: best picks each run's iteration on the test "
                    + "split, which would bias what is pooled; give K or last");
        }
        if (!pooled && table != null && table.trim().equalsIgnoreCase("pooled")) {
            throw SiftException.usage("--table pooled needs --pooled");
        }
        RunComparison.checkDistinct(runIds);
    }

    private String iterationKey() {
        String it = iteration == null ? pooled ? "1" : RunComparison.ALL
                : iteration.trim().toLowerCase(java.util.Locale.ROOT);
        if (!it.equals(RunComparison.ALL) && !it.equals("last") && !it.equals("best") && !it.matches("[1-9]\\d{0,5}")) {
            throw SiftException.usage("--iteration must be a number from 1, last or best, got '" + iteration + "'");
        }
        return it;
    }

    @Override
    public Integer call() {
        checkArguments();
        RunComparison.Result r = comparison.compare(runIds, onlyChanged, iterationKey(), pooled); // it checks the ids
        if (table != null && output.format != OutputOptions.Format.csv) {
            System.out.print(output.render(OutputOptions.one(tables(r), table)));
            return ExitCodes.OK;
        }
        switch (output.format) {
            case json -> {
                ObjectNode o = JSON.createObjectNode();
                o.set("runs", r.runs().json());
                o.set("parameters", r.parameters().json());
                o.put("parameters_differing", r.parametersDiffering());
                o.put("parameters_total", r.parametersTotal());
                o.set("metrics", r.metrics().json());
                if (!r.note().isEmpty()) {
                    o.put("metrics_note", r.note());
                }
                o.set("kept_vs_random", r.intervals().json());
                if (r.pooled() != null) {
                    o.set("pooled", r.pooled().json());
                }
                System.out.println(o.toPrettyString());
            }
            case csv -> System.out.print(OutputOptions.csv(tables(r), table));
            default -> printText(r);
        }
        return ExitCodes.OK;
    }

    private void printText(RunComparison.Result r) {
        System.out.print(r.runs().text());
        System.out.println();
        System.out.println((onlyChanged ? "parameters that differ (" : "parameters (") + r.parametersDiffering()
                + " of " + r.parametersTotal() + " differ)");
        System.out.print(r.parameters().text());
        System.out.println();
        System.out.println("test metrics (mean over seeds; delta N: run N minus run " + runIds.get(0) + ")");
        System.out.print(r.metrics().text());
        if (!r.note().isEmpty()) {
            System.out.println(r.note());
        }
        if (r.intervals().size() > 0) {
            System.out.println();
            // the unit column is queries, users (recommendation), or queries_or_users for runs of both
            List<String> cols = r.intervals().columns();
            String unit = cols.get(cols.size() - 1).replace("queries", "per-query").replace("users", "per-user")
                    .replace("_or_", " or ");
            System.out.println("kept vs random (paired " + unit + " bootstrap, 95% interval)");
            System.out.print(r.intervals().text());
        }
        if (r.pooled() != null) {
            System.out.println();
            System.out.println("pooled over the runs (" + POOLED_HEADING + ")");
            System.out.print(r.pooled().text());
        }
    }
}
