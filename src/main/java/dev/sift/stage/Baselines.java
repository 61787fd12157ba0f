package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.TaskType;
import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.evaluation.TestOutcome;
import dev.sift.evaluation.TestSet;
import dev.sift.evaluation.ZeroShot;
import dev.sift.model.SentenceEmbedder;
import dev.sift.store.MetricStore;
import dev.sift.store.RunStore;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The models that need no training, measured beside the trained ones: the majority grade (the training mean for
 * regression; it ranks nothing: its NDCG is the expectation over every order) and the pretrained encoder's zero-shot
 * query-title cosine.
 */
@ApplicationScoped
public class Baselines {
    @Inject
    ModelFactory models;
    @Inject
    RunStore runs;
    @Inject
    MetricStore metrics;
    @Inject
    Outcomes answers;

    /** Measures and stores the baselines; returns their outcomes by subset name. */
    Map<String, List<TestOutcome>> measure(StageContext ctx, List<Sample> samples, int[] test, TestSet testSet) {
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        double[] trainLabels = labelsFromZero(ctx, samples, train);
        Map<String, List<TestOutcome>> out = new LinkedHashMap<>();
        List<TestOutcome> majority = new ArrayList<>();
        for (int seed = 0; seed < ctx.spec().evaluate().seeds(); seed++) {
            majority.add(TestOutcome.majority(testSet, trainLabels)); // the same every seed: it trains nothing
        }
        out.put("majority", majority);
        if (ctx.spec().evaluate().zeroShot()) {
            out.put("zero-shot", List.of(zeroShot(ctx, samples, train, trainLabels, test)));
        }
        for (var e : out.entrySet()) {
            // measured once: the majority's copies (one per seed, to pair with each seed's model) are one model, so
            // its stored row has one seed and no spread, where it showed an sd of 0 over seeds it never trained
            List<Map<String, Double>> perSeed = e.getValue().stream().limit(1).map(o -> Protocol.measure(testSet, o))
                    .toList();
            Map<String, Double> m = summary(perSeed, 0, null); // nothing trains: no training time
            runs.replaceMetrics(ctx.runId(), ctx.iteration(), "test", e.getKey(), m);
            metrics.replaceSeeds(ctx.runId(), ctx.iteration(), "test", e.getKey(), perSeed);
            print(ctx, e.getKey(), m);
        }
        return out;
    }

    /**
     * Warns when the fine-tuned model does not beat a free baseline on the validation split, metric by metric (NDCG
     * and kappa, or NDCG and RMSE): the majority grade (the training mean for regression) in random order always, and
     * the zero-shot cosine when it is on. Importance measured on a model worse than the free baseline rarely pays; a
     * model no better than the majority grade has learned nothing from the samples (too few steps, or labels that do
     * not follow the text). Returns "baseline metric" for each metric a baseline is not beaten in (empty when there is
     * no validation split).
     */
    List<String> checkValidation(StageContext ctx, List<Sample> samples, byte[] fineTuned) {
        int[] validation = Subsets.ofSplit(samples, Split.VALIDATION);
        if (validation.length == 0) {
            ctx.console().info("  warning: no validation split: nothing stops training early, thresholds and grade "
                    + "cut points are chosen on the training split, and no check against majority or zero-shot runs");
            return List.of();
        }
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        double[] trainLabels = labelsFromZero(ctx, samples, train);
        TestSet set = TestSet.of(ctx.spec().task(), java.util.Arrays.stream(validation).mapToObj(samples::get)
                .toList(), ctx.spec().evaluate().k());
        Map<String, Double> model = Protocol.measure(set, answers.of(ctx, fineTuned, validation, set));
        List<String> notBetter = new ArrayList<>();
        Map<String, Double> majority = Protocol.measure(set, TestOutcome.majority(set, trainLabels));
        List<String> belowMajority = notBetter(set, model, majority);
        if (!belowMajority.isEmpty()) {
            ctx.console().info("  warning: the fine-tuned model does not beat the majority "
                    + (ctx.spec().task().classification() ? "grade" : "(the training mean)")
                    + " in random order on the validation split in " + String.join(" and ", belowMajority) + " ("
                    + detail(set, model, majority) + "): it has learned nothing the label shares do not give; train "
                    + "longer (fine_tune.epochs, learning_rate) or check the label column and range");
            belowMajority.forEach(m -> notBetter.add("majority " + m));
        }
        if (ctx.spec().evaluate().zeroShot()) {
            Map<String, Double> free = Protocol.measure(set, zeroShot(ctx, samples, train, trainLabels, validation));
            List<String> belowZeroShot = notBetter(set, model, free);
            ctx.console().info(zeroShotLine(set, model, free, belowZeroShot));
            belowZeroShot.forEach(m -> notBetter.add("zero-shot " + m));
        }
        return notBetter;
    }

    /** What the validation check says of the fine-tuned model against zero-shot. */
    static String zeroShotLine(TestSet set, Map<String, Double> model, Map<String, Double> free,
            List<String> belowZeroShot) {
        if (verdictMetrics(set).stream().allMatch(n -> Double.isNaN(free.get(n)))) {
            return "  validation split: no verdict against zero-shot: its metrics are undefined there ("
                    + detail(set, model, free) + "; too few samples, or one label only)";
        }
        return belowZeroShot.isEmpty()
                ? "  validation split: the fine-tuned model beats zero-shot (" + detail(set, model, free) + ")"
                : "  warning: the fine-tuned model does not beat zero-shot on the validation split in "
                        + String.join(" and ", belowZeroShot) + " (" + detail(set, model, free) + "); importance "
                        + "measured on it may not pay: try a stronger model (model.mode, more epochs) before pruning";
    }

    /** The metrics with a verdict (not accuracy, precision, recall) where {@code model} is not better. */
    static List<String> notBetter(TestSet set, Map<String, Double> model, Map<String, Double> free) {
        List<String> out = new ArrayList<>();
        for (String name : verdictMetrics(set)) {
            double a = model.get(name);
            double b = free.get(name);
            if (Double.isNaN(b)) {
                continue; // undefined on this split (NDCG where no query has two grades): no verdict either way
            }
            if (Protocol.lowerIsBetter(name) ? !(a < b) : !(a > b)) { // a model's NaN is not better
                out.add(name);
            }
        }
        return out;
    }

    private static String detail(TestSet set, Map<String, Double> model, Map<String, Double> free) {
        StringBuilder d = new StringBuilder();
        for (String name : verdictMetrics(set)) {
            // + 0.0: a majority's kappa of -0.0 prints as 0.0000
            d.append(String.format(Locale.ROOT, "%s%s %.4f vs %.4f", d.length() == 0 ? "" : ", ", name,
                    model.get(name) + 0.0,
                    free.get(name) + 0.0));
        }
        // how many queries the ranking metrics rest on, where some hold one grade (a click log's, mostly)
        Double informing = model.get("ndcg_queries");
        long queries = java.util.Arrays.stream(set.group()).distinct().count();
        if (informing != null && informing < queries) {
            d.append(String.format(Locale.ROOT, "; %s on %d of the %d queries (the others hold one %s)",
                    set.task().type() == TaskType.BINARY ? "NDCG and MRR" : "NDCG", Math.round(informing), queries,
                    set.task().type() == TaskType.BINARY ? "label" : "grade"));
        }
        return d.toString();
    }

    // accuracy, precision and recall have no verdict alone: they trade against each other or the class shares
    private static List<String> verdictMetrics(TestSet set) {
        return Protocol.names(set).stream().filter(n -> !n.equals("accuracy") && !n.equals("precision")
                && !n.equals("recall")).toList();
    }

    /** The labels of {@code which}, shifted so the lowest grade is 0. */
    static double[] labelsFromZero(StageContext ctx, List<Sample> samples, int[] which) {
        double[] out = new double[which.length];
        for (int i = 0; i < which.length; i++) {
            out[i] = samples.get(which[i]).label() - ctx.spec().task().minLabel();
        }
        return out;
    }

    /**
     * Test pairs ranked by the cosine of query and title embeddings, graded by cut points fitted on train; on a
     * binary task its probability is a logistic curve fitted on train and its threshold the validation split's
     * best F1 (the training split's without one).
     */
    private TestOutcome zeroShot(StageContext ctx, List<Sample> samples, int[] train, double[] trainLabels,
            int[] test) {
        float[][][] e = models.embeddings(ctx);
        double[] trainCos = cosines(e, train);
        double[] testCos = cosines(e, test);
        if (ctx.spec().task().type() == TaskType.BINARY) {
            int[] validation = Subsets.ofSplit(samples, Split.VALIDATION);
            int[] reference = validation.length == 0 ? train : validation;
            return ZeroShot.binaryOutcome(testCos, trainCos, Outcomes.positives(ctx, samples, train),
                    cosines(e, reference), Outcomes.positives(ctx, samples, reference));
        }
        return ZeroShot.outcome(ctx.spec().task(), testCos, trainCos, trainLabels);
    }

    private static double[] cosines(float[][][] e, int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = SentenceEmbedder.cosine(e[0][rows[i]], e[1][rows[i]]);
        }
        return out;
    }

    /**
     * The stored summary of one model's seeds: mean and sd of each metric (no sd of the query count), the training
     * set size, the mean training time when given, and the number of seeds.
     */
    static Map<String, Double> summary(List<Map<String, Double>> perSeed, int trainSize, Double seconds) {
        Map<String, Double> m = ofSeeds(perSeed);
        m.put("train_size", (double) trainSize);
        if (seconds != null) {
            m.put("train_seconds", seconds);
        }
        return m;
    }

    /** Mean and sd of each metric over the seeds (no sd of the query count), and the number of seeds. */
    static Map<String, Double> ofSeeds(List<Map<String, Double>> perSeed) {
        Map<String, Double> m = new LinkedHashMap<>(Protocol.meanAndSd(perSeed));
        m.remove("ndcg_queries_sd");
        m.put("seeds", (double) perSeed.size());
        return m;
    }

    static void print(StageContext ctx, String subset, Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("  " + subset + ":");
        m.forEach((name, v) -> {
            if (!name.endsWith("_sd") && !name.equals("seeds")) {
                Double sd = m.get(name + "_sd");
                Object shown = Protocol.asCount(name, v);
                sb.append(shown instanceof Long n ? " " + name + "=" + n
                        : String.format(Locale.ROOT, " %s=%.4f", name, v))
                        .append(sd != null && sd > 0 ? String.format(Locale.ROOT, "±%.4f", sd) : "");
            }
        });
        ctx.console().info(sb.toString());
    }

    /**
     * One comparison line: each metric's difference with its 95% interval ({@code *} where it excludes 0); a metric
     * where lower is better says so, and one without an interval says why when too few queries inform it.
     */
    static String describe(String subset, String baseline, Map<String, Protocol.Interval> c) {
        return describe(subset, baseline, c, false);
    }

    /** {@link #describe(String, String, Map)}, counting users instead of queries where {@code users}. */
    static String describe(String subset, String baseline, Map<String, Protocol.Interval> c, boolean users) {
        StringBuilder sb = new StringBuilder("  " + subset + " - " + baseline + ":");
        c.forEach((metric, i) -> sb.append(" " + metric + (Protocol.lowerIsBetter(metric) ? " (lower is better) "
                : " ") + Text.signed(i.delta()) + (Double.isNaN(i.lo()) ? " (no interval" + (i.queries()
                        < Protocol.MIN_UNITS ? ": " + i.queries() + " test " + (users ? (i.queries() == 1
                                ? "user informs" : "users inform") : i.queries() == 1 ? "query informs"
                                : "queries inform") + " it, under " + Protocol.MIN_UNITS : "") + ")"
                        : " [" + Text.signed(i.lo()) + ", " + Text.signed(i.hi()) + "]"
                                + (i.excludesZero() ? "*" : ""))));
        return sb.toString();
    }
}
