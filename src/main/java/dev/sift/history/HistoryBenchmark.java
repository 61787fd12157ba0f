package dev.sift.history;

import dev.sift.store.BulkRuns;
import dev.sift.store.BulkRuns.NewMetric;
import dev.sift.store.BulkRuns.NewRun;
import dev.sift.store.MetricStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunQuery;
import dev.sift.workflow.WorkflowParams;
import dev.sift.workflow.WorkflowParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code sift bench history}: writes N generated runs (resolved parameters, test metrics per iteration, subset and
 * seed, comparisons) into the database, then times {@code runs list} plain, filtered and ordered,
 * {@code runs compare} of 2 and 10 runs, and {@code report} of one run alone and beside 3 others, each through the
 * code the commands run (query and rendering) as the median of several repetitions. The generated runs are deleted
 * afterwards unless kept.
 */
@ApplicationScoped
public class HistoryBenchmark {
    /** The workflow name of generated runs: what is deleted before and after. */
    public static final String WORKFLOW = "bench-history";
    /** The filter timed: the acceptance query of the history issue. */
    public static final String WHERE = "metrics.selected.ndcg@10 > 0.9 or params.filter.by = 'el2n'";
    static final List<String> ORDER = List.of("metrics.selected.kappa", "desc");
    static final String[] METHODS = {"loss", "el2n", "label_quality", "aum", "knn_shapley", "forgetting"};
    static final String[] POLICIES = {"top_fraction", "ccs", "stratified"};
    static final double[] KEEP = {0.3, 0.5, 0.7, 0.9};
    private static final String BASE = """
            name: bench-history
            dataset: {generate: {rows: 3000, noise: 0.1, seed: 7}}
            model: {encoder: hashed-bow, buckets: 2048, dim: 64, hidden: 64}
            fine_tune: {epochs: 6, batch_size: 64, learning_rate: 0.003, seed: 42}
            score: {methods: [loss, el2n, label_quality, aum, knn_shapley, forgetting]}
            filter: {by: loss, keep: 0.5}
            evaluate: {k: 10, seeds: 3}
            iterations: 2
            """;

    private static final Map<String, Object> BASE_PARAMS = WorkflowParams.of(WorkflowParser.parse("bench.yaml",
            BASE, null, Map.of(), false).spec());

    @Inject
    BulkRuns bulk;
    @Inject
    RunListing listing;
    @Inject
    RunComparison comparison;
    @Inject
    RunReport report;

    /** One timed command. */
    public record Timing(String command, int rows, double medianMs, double ratio) {
    }

    /** What was generated and how long each command took. */
    public record Result(int runs, long metricRows, double generateSeconds, double deleteSeconds,
            List<Timing> timings) {
    }

    /** Generates {@code runs} runs, times every command {@code repeats} times (after one warm-up), cleans up. */
    public Result run(int runs, int repeats, boolean keep, long seed) {
        bulk.deleteWorkflow(WORKFLOW);
        long t0 = System.nanoTime();
        Random rnd = new Random(seed);
        Instant start = Instant.now().minus(Duration.ofMinutes(runs));
        List<Long> ids = new ArrayList<>();
        long metricRows = 0;
        for (int from = 0; from < runs; from += 500) {
            List<NewRun> batch = new ArrayList<>();
            for (int i = from; i < Math.min(runs, from + 500); i++) {
                batch.add(generated(rnd, i, start, WORKFLOW));
            }
            metricRows += batch.stream().mapToLong(r -> r.metrics().size()).sum();
            ids.addAll(bulk.insert(batch));
        }
        bulk.analyze();
        double generate = (System.nanoTime() - t0) / 1e9;
        List<Timing> timings = new ArrayList<>();
        Supplier<Table> plain = () -> listing.list(RunListing.query(null, null, null, null, 50));
        double base = time(plain, repeats);
        timings.add(new Timing("runs list", plain.get().size(), base, 1.0));
        add(timings, "runs list --limit " + runs, () -> listing.list(RunListing.query(null, null, null, null, runs)),
                repeats, base);
        add(timings, "runs list --where \"" + WHERE + "\"",
                () -> listing.list(RunListing.query(null, null, WHERE, null, 50)), repeats, base);
        add(timings, "runs list --where \"" + WHERE + "\" --order-by " + String.join(" ", ORDER),
                () -> listing.list(RunListing.query(null, null, WHERE, ORDER, 50)), repeats, base);
        add(timings, "  the same with --limit " + runs,
                () -> listing.list(RunListing.query(null, null, WHERE, ORDER, runs)), repeats, base);
        List<Long> picked = new ArrayList<>(ids);
        java.util.Collections.shuffle(picked, rnd);
        add(timings, "runs compare (2 runs)", () -> comparison.compare(picked.subList(0, 2), false,
                RunComparison.ALL).metrics(), repeats, base);
        add(timings, "runs compare (10 runs)", () -> comparison.compare(picked.subList(0, 10), false,
                RunComparison.ALL).metrics(), repeats, base);
        addReport(timings, "report RUN", picked.get(0), List.of(), repeats, base);
        addReport(timings, "report RUN --compare (3 runs)", picked.get(0), picked.subList(1, 4), repeats, base);
        double delete = 0;
        if (!keep) {
            long d0 = System.nanoTime();
            bulk.deleteWorkflow(WORKFLOW);
            delete = (System.nanoTime() - d0) / 1e9;
        }
        return new Result(runs, metricRows, generate, delete, timings);
    }

    private static void add(List<Timing> out, String command, Supplier<Table> work, int repeats, double base) {
        double ms = time(work, repeats);
        out.add(new Timing(command, work.get().size(), ms, ms / base));
    }

    /** A report's query, view and HTML rendering; its rows are its charts. */
    private void addReport(List<Timing> out, String command, long run, List<Long> compare, int repeats,
            double base) {
        Supplier<String> work = () -> report.html(run, compare);
        double ms = median(work, repeats);
        out.add(new Timing(command, report.view(run, compare, null).charts().size(), ms, ms / base));
    }

    /** Median milliseconds of {@code repeats} runs of the work and its text rendering, after one warm-up. */
    private static double time(Supplier<Table> work, int repeats) {
        return median(() -> work.get().text(), repeats);
    }

    private static double median(Supplier<String> work, int repeats) {
        work.get();
        double[] ms = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t = System.nanoTime();
            work.get();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return repeats % 2 == 1 ? ms[repeats / 2] : (ms[repeats / 2 - 1] + ms[repeats / 2]) / 2;
    }

    /**
     * Generated run {@code i}: the base workflow's resolved parameters with filter.by, filter.keep, filter.policy,
     * the learning rate and the seed drawn; 1-3 iterations, each with the kept, random and baseline subsets (full in
     * the first, random-train from the second), mean, sd and per-seed rows of three seeds, and comparisons; one run
     * in 20 failed before any metric.
     */
    public static NewRun generated(Random rnd, int i, Instant start, String workflow) {
        SortedMap<String, Object> params = new TreeMap<>(BASE_PARAMS);
        params.put("name", workflow);
        params.put("filter.by", METHODS[rnd.nextInt(METHODS.length)]);
        params.put("filter.keep", KEEP[rnd.nextInt(KEEP.length)]);
        params.put("filter.policy", POLICIES[rnd.nextInt(POLICIES.length)]);
        params.put("fine_tune.learning_rate", new double[] {0.001, 0.003, 0.01}[rnd.nextInt(3)]);
        params.put("fine_tune.seed", (long) rnd.nextInt(1000));
        boolean failed = rnd.nextInt(20) == 0;
        int iterations = failed ? 0 : 1 + rnd.nextInt(3);
        List<NewMetric> metrics = new ArrayList<>();
        List<MetricStore.Comparison> comparisons = new ArrayList<>();
        for (int k = 1; k <= iterations; k++) {
            List<String> subsets = new ArrayList<>(List.of("selected", "random", "majority", "zero-shot"));
            subsets.add(k == 1 ? "full" : "random-train");
            for (String s : subsets) {
                subset(rnd, k, s, metrics);
            }
            for (String b : subsets.subList(1, subsets.size())) {
                for (String m : List.of("ndcg@10", "accuracy", "kappa")) {
                    double d = rnd.nextGaussian() * 0.02;
                    double w = 0.005 + rnd.nextDouble() * 0.02;
                    comparisons.add(new MetricStore.Comparison(k, m, "selected", b, d, d - w, d + w, 3, 120, 1000));
                }
            }
        }
        return new NewRun("run-" + i, workflow, failed ? RunEntity.Status.FAILED : RunEntity.Status.SUCCEEDED,
                start.plus(Duration.ofMinutes(i)), params, metrics, comparisons);
    }

    private static void subset(Random rnd, int k, String subset, List<NewMetric> out) {
        double[] seedsNdcg = new double[3];
        double[] seedsAcc = new double[3];
        double[] seedsKappa = new double[3];
        for (int s = 0; s < 3; s++) {
            seedsNdcg[s] = 0.6 + rnd.nextDouble() * 0.4;
            seedsAcc[s] = 0.4 + rnd.nextDouble() * 0.5;
            seedsKappa[s] = rnd.nextDouble() * 0.9;
            out.add(new NewMetric(k, subset, "ndcg@10", seedsNdcg[s], s));
            out.add(new NewMetric(k, subset, "ndcg_queries", 120, s));
            out.add(new NewMetric(k, subset, "accuracy", seedsAcc[s], s));
            out.add(new NewMetric(k, subset, "kappa", seedsKappa[s], s));
        }
        mean(k, subset, "ndcg@10", seedsNdcg, out);
        mean(k, subset, "accuracy", seedsAcc, out);
        mean(k, subset, "kappa", seedsKappa, out);
        out.add(new NewMetric(k, subset, "ndcg_queries", 120, null));
        out.add(new NewMetric(k, subset, "train_size", 900 + rnd.nextInt(900), null));
        out.add(new NewMetric(k, subset, "train_seconds", rnd.nextDouble() * 30, null));
        out.add(new NewMetric(k, subset, "seeds", 3, null));
    }

    private static void mean(int k, String subset, String name, double[] v, List<NewMetric> out) {
        double m = Arrays.stream(v).average().orElse(Double.NaN);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
        out.add(new NewMetric(k, subset, name, m, null));
        out.add(new NewMetric(k, subset, name + "_sd", sd, null));
    }

    /** The query the benchmark times, for tests that check its answer. */
    public static RunQuery.Query acceptanceQuery(String workflow, int limit) {
        return RunListing.query(workflow, null, WHERE, ORDER, limit);
    }
}
