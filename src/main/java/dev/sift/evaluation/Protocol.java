package dev.sift.evaluation;

import dev.sift.data.TaskType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The evaluation protocol: metrics of a model on the test split, means over training seeds, and the paired
 * per-query bootstrap interval of the difference between two models. Queries are the resampled unit (pairs of
 * one query are not independent), and both models are measured on the same resample (paired).
 */
public final class Protocol {
    private Protocol() {
    }

    /**
     * The fewest queries (users, for recommendation) a bootstrap interval is drawn from. Below it every resample is
     * one of a handful, the percentiles collapse towards a point, and a point "excludes 0" whenever the difference is
     * not 0: no interval is given (NaN bounds, "n/a").
     */
    public static final int MIN_UNITS = 5;

    /** A difference a - b of seed means, and its bootstrap 95% interval (NaN bounds: none). */
    public record Interval(double delta, double lo, double hi, int resamples, int queries) {
        /**
         * Differences within {@link #NOISE} of 0 are 0: two means of the same per-query values summed in another
         * order differ by about 1e-19 (a probe's recall@20 delta printed as -0.000000000000000000925).
         */
        public Interval {
            delta = snap(delta);
            lo = snap(lo);
            hi = snap(hi);
        }

        private static double snap(double v) {
            return Math.abs(v) < NOISE ? 0.0 : v;
        }

        public boolean excludesZero() {
            return Protocol.excludesZero(lo, hi);
        }
    }

    /** Below this, a difference of metric means (values of order 1) is floating-point rounding, not a difference. */
    public static final double NOISE = 1e-12;

    /** Whether the interval [lo, hi] leaves out 0, the only case in which a difference means anything; NaN: no. */
    public static boolean excludesZero(double lo, double hi) {
        return lo > 0 || hi < 0;
    }

    /** The metric names {@link #measure} returns for the task. */
    public static List<String> names(TestSet t) {
        if (t.task().type() == TaskType.BINARY) {
            return List.of("ndcg@" + t.k(), "mrr", "accuracy", "kappa", "auc", "log_loss", "f1", "precision",
                    "recall");
        }
        return t.task().classification() ? List.of("ndcg@" + t.k(), "accuracy", "kappa")
                : List.of("ndcg@" + t.k(), "rmse");
    }

    /** A count (train size, seeds, queries scored) as a whole number, not as 3.0000; any other value as it is. */
    public static Object asCount(String name, Double v) {
        boolean count = name.equals("train_size") || name.equals("seeds") || name.endsWith("_queries");
        return count && v != null && v == Math.rint(v) ? (Object) (long) (double) v : v;
    }

    /** Metrics where lower is better. */
    public static boolean lowerIsBetter(String metric) {
        return metric.equals("rmse") || metric.equals("log_loss");
    }

    /** Every metric of one outcome on all test pairs, plus the number of queries NDCG scored. */
    public static Map<String, Double> measure(TestSet t, TestOutcome o) {
        int[] all = new int[t.size()];
        Arrays.setAll(all, i -> i);
        Map<String, Double> m = new LinkedHashMap<>(measure(t, o, all, t.group()));
        m.put("ndcg_queries", (double) Metrics.ndcgGroups(t.relevance(), t.group()));
        if (Double.isFinite(o.threshold())) {
            m.put("threshold", o.threshold());
        }
        return m;
    }

    /** The metrics on the pairs {@code rows}, with {@code groups[i]} the query of {@code rows[i]}. */
    static Map<String, Double> measure(TestSet t, TestOutcome o, int[] rows, String[] groups) {
        int n = rows.length;
        double[] score = new double[n];
        double[] rel = new double[n];
        int[] predicted = new int[n];
        int[] truth = new int[n];
        double[] value = new double[n];
        for (int i = 0; i < n; i++) {
            int r = rows[i];
            score[i] = o.score()[r];
            rel[i] = t.relevance()[r];
            predicted[i] = o.predicted()[r];
            truth[i] = t.truth()[r];
            value[i] = o.value()[r];
        }
        Map<String, Double> m = new LinkedHashMap<>();
        // the majority baseline ranks nothing: a constant score, whose NDCG is a random order's expectation
        m.put("ndcg@" + t.k(), Metrics.ndcgAtK(o.ranks() ? score : new double[n], rel, groups, t.k()));
        if (t.task().type() == TaskType.BINARY) { // the rank of a query's first click (or match)
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                positive[i] = truth[i] == 1;
            }
            m.put("mrr", Metrics.mrr(o.ranks() ? score : new double[n], positive, groups));
        }
        if (t.task().classification()) {
            m.put("accuracy", Metrics.accuracy(predicted, truth));
            m.put("kappa", Metrics.quadraticWeightedKappa(predicted, truth, t.task().classes()));
            if (t.task().type() == TaskType.BINARY) {
                binary(m, o.ranks() ? score : new double[n], value, predicted, truth);
            }
        } else {
            m.put("rmse", Metrics.rmse(value, rel));
        }
        return m;
    }

    /**
     * AUC of the ranking score, log loss of the probability ({@code value}), and F1, precision and recall of the
     * predicted classes (thresholded where the validation split's F1 peaked).
     */
    private static void binary(Map<String, Double> m, double[] score, double[] probability, int[] predicted,
            int[] truth) {
        boolean[] positive = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            positive[i] = truth[i] == 1;
        }
        Metrics.Confusion c = Metrics.Confusion.of(predicted, truth);
        m.put("auc", Metrics.auroc(score, positive));
        m.put("log_loss", Metrics.logLoss(probability, positive));
        m.put("f1", c.f1());
        m.put("precision", c.precision());
        m.put("recall", c.recall());
    }

    /** Mean over seeds of each metric; {@code <name>_sd} its sample standard deviation (NaN for one seed). */
    public static Map<String, Double> meanAndSd(List<Map<String, Double>> perSeed) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : perSeed.get(0).keySet()) {
            double[] v = perSeed.stream().mapToDouble(m -> m.getOrDefault(name, Double.NaN)).toArray();
            double mean = Arrays.stream(v).average().orElse(Double.NaN);
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            out.put(name, mean);
            // seeds that agree have no spread: the mean of three equal values can differ from them in the last bit,
            // which printed as an sd of 0.0000000000000000680 (the majority's accuracy)
            boolean same = Arrays.stream(v).allMatch(x -> x == v[0]);
            // one seed has no spread to measure (0.0000 read as seeds that agree, a probe's)
            double sd = v.length < 2 ? Double.NaN : same ? 0.0 : Math.sqrt(ss / (v.length - 1));
            out.put(name + "_sd", Double.isNaN(mean) ? Double.NaN : sd); // no spread of an undefined metric
        }
        return out;
    }

    /** {@link #compare(TestSet, List, List, int, long, boolean)} over the queries and the training seeds. */
    public static Map<String, Interval> compare(TestSet t, List<TestOutcome> a, List<TestOutcome> b, int asked,
            long seed) {
        return compare(t, a, b, asked, seed, true);
    }

    /**
     * For every metric, the difference of seed means a - b on the whole test split and its paired per-query
     * bootstrap 95% interval (percentiles of {@code resamples} resamples of the queries with replacement).
     * {@code overSeeds}: each resample also draws the training seeds of a and of b with replacement (the same draw
     * for both when they have as many seeds: seed i of one was trained beside seed i of the other), so the interval
     * holds the spread of training runs too, not only that of the queries; with one seed a side it is as without.
     */
    public static Map<String, Interval> compare(TestSet t, List<TestOutcome> a, List<TestOutcome> b, int asked,
            long seed, boolean overSeeds) {
        Map<String, List<Integer>> byQuery = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) {
            byQuery.computeIfAbsent(t.group()[i], g -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> queries = new ArrayList<>(byQuery.values());
        List<String> names = names(t);
        int resamples = queries.size() < MIN_UNITS ? 0 : asked; // too few queries: the difference alone
        Map<String, double[]> diffs = new LinkedHashMap<>();
        names.forEach(n -> diffs.put(n, new double[resamples]));
        Random r = new Random(seed);
        for (int s = 0; s < resamples; s++) {
            List<Integer> rows = new ArrayList<>();
            List<String> groups = new ArrayList<>();
            for (int q = 0; q < queries.size(); q++) {
                // a query drawn twice counts as two queries: its pairs are labelled by the draw
                for (int row : queries.get(r.nextInt(queries.size()))) {
                    rows.add(row);
                    groups.add("draw" + q);
                }
            }
            int[] rowArr = rows.stream().mapToInt(Integer::intValue).toArray();
            String[] groupArr = groups.toArray(new String[0]);
            int[] ia = overSeeds ? draw(a.size(), r) : null;
            int[] ib = !overSeeds ? null : b.size() == a.size() ? ia : draw(b.size(), r);
            List<TestOutcome> da = ia == null ? a : Arrays.stream(ia).mapToObj(a::get).toList();
            List<TestOutcome> db = ib == null ? b : Arrays.stream(ib).mapToObj(b::get).toList();
            Map<String, Double> ma = seedMean(t, da, rowArr, groupArr);
            Map<String, Double> mb = seedMean(t, db, rowArr, groupArr);
            for (String n : names) {
                diffs.get(n)[s] = ma.get(n) - mb.get(n);
            }
        }
        int[] all = new int[t.size()];
        Arrays.setAll(all, i -> i);
        Map<String, Double> fa = seedMean(t, a, all, t.group());
        Map<String, Double> fb = seedMean(t, b, all, t.group());
        Map<String, Interval> out = new LinkedHashMap<>();
        for (String n : names) {
            int informing = informing(t, queries, n);
            double[] d = informing < MIN_UNITS ? new double[0]
                    : Arrays.stream(diffs.get(n)).filter(Double::isFinite).sorted().toArray();
            // a metric undefined on a resample (NDCG of a query without a relevant pair) leaves it out; with at
            // least MIN_UNITS of Q queries informing it, a resample misses all of them with probability
            // (1 - 5/Q)^Q < e^-5: about 0.7% of the resamples are expected to be left out (NDCG), up to about 1.3%
            // for a binary metric that needs both classes
            double[] ends = percentiles95(d);
            double lo = ends[0];
            double hi = ends[1];
            // the resamples the interval comes from: those where the metric is defined on both sides
            out.put(n, new Interval(fa.get(n) - fb.get(n), lo, hi, d.length, informing));
        }
        return out;
    }

    /**
     * The queries that inform metric {@code n}: for NDCG those with two relevance levels (the others have no NDCG);
     * for a binary task's AUC, kappa, F1, precision and recall the fewer of the queries with a positive and those
     * with a negative; for a graded task's kappa the queries holding a grade other than the test split's commonest.
     * With 12 positives in 2 of 60 queries every resample holds those 2 or none, and an "interval" of AUC is two
     * points; with one pair of a rare grade in one query, a graded kappa's interval "excluded 0" on that pair alone
     * (a probe's, stop 44). Else every query. Fewer than {@link #MIN_UNITS}: no interval.
     */
    private static final Set<String> RARE_CLASS_METRICS = Set.of("auc", "kappa", "f1", "precision", "recall");

    static int informing(TestSet t, List<List<Integer>> queries, String n) {
        if (n.startsWith("ndcg@") || n.equals("mrr")) { // MRR: the queries with a positive and a negative
            return Metrics.ndcgGroups(t.relevance(), t.group());
        }
        boolean rare = t.task().type() == TaskType.BINARY ? RARE_CLASS_METRICS.contains(n)
                : t.task().classification() && n.equals("kappa");
        if (!rare) {
            return queries.size(); // accuracy, log loss, RMSE: every query's pairs inform them
        }
        Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (int v : t.truth()) {
            counts.merge(v, 1, Integer::sum);
        }
        int common = counts.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).map(Map.Entry::getKey).orElse(0);
        int withCommon = 0;
        int withOther = 0;
        for (List<Integer> q : queries) {
            withCommon += q.stream().anyMatch(i -> t.truth()[i] == common) ? 1 : 0;
            withOther += q.stream().anyMatch(i -> t.truth()[i] != common) ? 1 : 0;
        }
        // binary: the rarer side, either way; graded: the queries with a grade other than the commonest (the
        // commonest is everywhere on a skewed split, and counting it would let one rare pair make an interval)
        return t.task().type() == TaskType.BINARY ? Math.min(withCommon, withOther) : withOther;
    }

    /**
     * The 2.5th and 97.5th percentiles of {@code sorted} resampled statistics, at the positions every interval of
     * Sift reads (the lower rounded down, the upper up); NaN ends for no resamples.
     */
    public static double[] percentiles95(double[] sorted) {
        return sorted.length == 0 ? new double[] {Double.NaN, Double.NaN}
                : new double[] {sorted[(int) Math.floor(0.025 * (sorted.length - 1))],
                    sorted[(int) Math.ceil(0.975 * (sorted.length - 1))]};
    }

    /**
     * {@code n} seed indices drawn with replacement; one seed: none drawn (the same single seed every time). Shared by
     * the per-user bootstrap of recommendation.
     */
    public static int[] draw(int n, Random r) {
        if (n < 2) {
            return null;
        }
        int[] out = new int[n];
        Arrays.setAll(out, i -> r.nextInt(n));
        return out;
    }

    private static Map<String, Double> seedMean(TestSet t, List<TestOutcome> outcomes, int[] rows, String[] groups) {
        Map<String, Double> sum = new LinkedHashMap<>();
        for (TestOutcome o : outcomes) {
            measure(t, o, rows, groups).forEach((k, v) -> sum.merge(k, v / outcomes.size(), Double::sum));
        }
        return sum;
    }
}
