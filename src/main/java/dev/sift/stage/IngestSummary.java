package dev.sift.stage;

import dev.sift.SiftException;
import dev.sift.data.Ingestor;
import dev.sift.data.Quarantined;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskType;
import dev.sift.data.Text;
import dev.sift.workflow.StageContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the ingest stage says about what it read: the counts, the quarantine by reason with its first rows, the
 * warnings (most rows quarantined, a split with one label), and the stop when a split the workflow asks for is empty.
 */
final class IngestSummary {
    private static final int SHOWN_ERRORS = 10;

    private IngestSummary() {
    }

    /**
     * The split checks of an ingest: a split drawn by query that got no query stops it, a lopsided one warns; given
     * files must each hold a row. With a test file alone (or a utility file, or both), the splits no file gives are
     * drawn from the training file, and the checks of that draw look at the training file's rows only (a given file's
     * queries and rows are not the draw's); with validation and test files, the utility split (drawn from the
     * training file) is checked on those rows.
     */
    static void checkSplits(StageContext ctx, String source, Ingestor.Result r) {
        dev.sift.data.DatasetSpec ds = ctx.spec().dataset();
        SplitSpec split = ctx.spec().split();
        if (ds.given() != null) {
            emptyGiven(source, r, ds.given());
        }
        if (ctx.spec().task().recommendation()) {
            return;
        }
        if (ds.given() != null && ds.given().validation() != null) {
            emptyUtility(source, r, split);
            return;
        }
        boolean utilityFile = ds.given() != null && ds.given().utility() != null;
        boolean testFile = ds.given() != null && ds.given().test() != null;
        Ingestor.Result drawn = ds.given() == null ? r : new Ingestor.Result(r.samples().stream()
                .filter(x -> !(testFile && x.split() == Split.TEST) && !(utilityFile && x.split() == Split.UTILITY))
                .toList(), r.quarantined(), r.rowsRead(), r.duplicates(), null, null);
        emptySplit(source, drawn, split);
        skewedSplits(ctx, drawn, split);
    }

    /** With validation and test files given only a utility split is drawn, from the training file: stops when empty. */
    static void emptyUtility(String source, Ingestor.Result r, SplitSpec split) {
        emptySplit(source, new Ingestor.Result(r.samples().stream().filter(x -> x.split() == Split.TRAIN
                || x.split() == Split.UTILITY).toList(), r.quarantined(), r.rowsRead(), r.duplicates(), null, null),
                new SplitSpec(0, split.utility(), 0, split.seed()));
    }

    /**
     * Stops when a split the workflow asks for got no query (one or two queries among the valid rows): its metrics
     * would all be NaN, and a run of NaNs would still say it succeeded.
     */
    static void emptySplit(String source, Ingestor.Result r, SplitSpec split) {
        List<String> empty = new ArrayList<>();
        if (r.count(Split.TRAIN) == 0) {
            empty.add("train");
        }
        if (split.validation() > 0 && r.count(Split.VALIDATION) == 0) {
            empty.add("validation");
        }
        if (split.utility() > 0 && r.count(Split.UTILITY) == 0) {
            empty.add("utility");
        }
        if (split.test() > 0 && r.count(Split.TEST) == 0) {
            empty.add("test");
        }
        if (!empty.isEmpty()) {
            long groups = r.samples().stream().map(Sample::group).distinct().count();
            throw SiftException.usage(source + ": only " + groups + " distinct "
                    + (groups == 1 ? "query" : "queries") + " among " + r.samples().size() + " valid rows: too few to "
                    + "split by query into " + and(drawn(split)) + "; " + and(empty) + " would be empty. "
                    + splitAdvice(empty));
        }
    }

    /** The splits drawn by query, with their shares: only those asked for (a given file's split is not drawn). */
    private static List<String> drawn(SplitSpec split) {
        List<String> out = new ArrayList<>(List.of("train"));
        out.addAll(dev.sift.data.Splitter.drawn(split));
        return out;
    }

    private static String and(List<String> items) {
        return dev.sift.data.Splitter.and(items);
    }

    /** What can give every split a group: a test split cannot be set to 0, a validation or utility one can. */
    static String splitAdvice(List<String> empty) {
        String finer = "map dataset.columns.group to a finer column (a session or a user) that the splits can divide";
        if (empty.contains("test")) {
            return "Use data with more queries, " + finer + ", or give the held-out rows as files (dataset.test, "
                    + "and dataset.validation if you have one)";
        }
        List<String> settable = empty.stream().filter(e -> !e.equals("train")).map(e -> "split." + e).toList();
        return "Use data with more queries" + (settable.isEmpty() ? " or " : ", ") + finer
                + (settable.isEmpty() ? "" : ", or set " + String.join(" and ", settable) + " to 0");
    }

    /**
     * Stops when a given validation, utility or test file (or the training file) held no valid row: a test split of
     * none measures nothing (every metric NaN, F1 0 with an interval of width 0, in a run that says it succeeded),
     * and a validation split of none leaves early stopping, thresholds and grade cuts to the training split
     * unannounced.
     */
    static void emptyGiven(String source, Ingestor.Result r, dev.sift.data.DatasetSpec.Given given) {
        for (var f : given.files(source).entrySet()) {
            Split s = f.getKey();
            String file = f.getValue();
            String key = s == Split.TRAIN ? "dataset.path" : "dataset." + s.key();
            if (r.count(s) == 0) {
                List<dev.sift.data.Quarantined> refused = r.quarantined().stream().filter(q -> file.equals(q.file()))
                        .toList();
                throw SiftException.usage(file + " (" + key + "): " + (refused.isEmpty() ? "no valid rows"
                        : "none of its " + refused.size() + " rows is valid (the first: " + refused.get(0)
                                .describe(file) + (r.encodingAdvice() == null ? "" : "; " + r.encodingAdvice()) + ")")
                        + ", so the " + s.key() + " split would be empty; give a file with rows"
                        + (s == Split.VALIDATION || s == Split.UTILITY ? ", or leave " + key + " out" : ""));
            }
        }
    }

    /**
     * Warns for each split whose pairs all carry one label (a binary split without a positive, say): its AUC, kappa
     * and NDCG are undefined and print as NaN, and a threshold or a grade cut cannot be chosen on it.
     */
    static void oneLabelSplits(StageContext ctx, Ingestor.Result r) {
        for (Split split : List.of(Split.VALIDATION, Split.UTILITY, Split.TEST, Split.TRAIN)) {
            List<Double> labels = r.samples().stream().filter(x -> x.split() == split).map(Sample::label)
                    .distinct().toList();
            if (labels.size() == 1) {
                // nothing is measured on the utility split: what reads it are the value methods
                String consequence = split == Split.UTILITY ? "the methods that value samples against it (knn_shapley, "
                        + "tracin) measure every sample against that one label"
                        : "metrics that compare labels (AUC, kappa, NDCG, F1) are undefined there and print as NaN";
                String name = split.name().toLowerCase(java.util.Locale.ROOT);
                ctx.console().info(String.format("  warning: every one of the %d %s pairs has label %s: %s; %s",
                        r.count(split), name, Text.number(labels.get(0)), consequence, fromFile(ctx, split)
                                ? "give a dataset." + name + " file with pairs of more than one label"
                                : "use data with more queries of each label, or another split.seed"));
            }
        }
    }

    /** Whether a split's rows come from a file of their own (dataset.validation, dataset.utility, dataset.test). */
    private static boolean fromFile(StageContext ctx, Split split) {
        dev.sift.data.DatasetSpec.Given g = ctx.spec().dataset().given();
        return g != null && g.of(split) != null;
    }

    /**
     * Warns when one (query, title) pair comes with different labels (several annotators, or clicks and skips of one
     * result): no model can fit both, and the metrics on such pairs measure the disagreement, not the model. The query
     * is matched as the split matches queries ({@link dev.sift.data.Ingestor#normalise}: case, white space and
     * invisible characters aside), whatever the group column: the model reads the texts, not the group, so a click in
     * one session and a skip in another conflict too. Returns the line, or null when under 1% of the pairs have more
     * than one label.
     */
    static String conflictingLabels(List<Sample> samples, boolean regression) {
        Map<List<String>, java.util.TreeSet<Double>> labels = new java.util.LinkedHashMap<>();
        Map<List<String>, String> shownQuery = new java.util.HashMap<>();
        for (Sample s : samples) {
            List<String> pair = List.of(dev.sift.data.Ingestor.normalise(s.query()), s.title(), s.description());
            labels.computeIfAbsent(pair, k -> new java.util.TreeSet<>()).add(s.label());
            shownQuery.putIfAbsent(pair, s.query());
        }
        List<Map.Entry<List<String>, java.util.TreeSet<Double>>> mixed = labels.entrySet().stream()
                .filter(e -> e.getValue().size() > 1).toList();
        if (100L * mixed.size() < labels.size()) {
            return null; // under 1% of the pairs: a few disagreements, as in most graded data, are no warning
        }
        var first = mixed.get(0);
        return "warning: " + mixed.size() + " of " + labels.size() + " (query, product) pairs come with different "
                + "labels, e.g. '" + Text.printable(truncate(shownQuery.get(first.getKey()))) + "' / '"
                + Text.printable(truncate(first.getKey().get(1))) + "': " + String.join(", ", first.getValue().stream()
                        .map(Text::number).toList()) + "; no model fits both, and "
                + (regression ? "RMSE on them measures the disagreement: aggregate them (a mean)"
                        : "kappa and accuracy on them measure the disagreement: aggregate them (a median grade, a "
                                + "click rate)")
                + " before ingest, or keep them if the spread is what the model should learn";
    }

    /**
     * Warns when a regression's training labels fill under half of {@code task.min_label .. task.max_label}: the
     * model predicts on the declared range (its output scaled to it), so a loose bound squeezes every prediction
     * into a small part of it and costs RMSE (max_label 10 for labels in 0..1.5). Names the loose bound; null when
     * the labels fill the range or there are none.
     */
    static String looseRange(List<Sample> samples, dev.sift.data.TaskSpec task) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Sample s : samples) {
            if (s.split() == Split.TRAIN) {
                lo = Math.min(lo, s.label());
                hi = Math.max(hi, s.label());
            }
        }
        // in halves, so that -1e308 to 1e308 does not overflow to an infinite range
        double half = task.maxLabel() / 2 - task.minLabel() / 2;
        if (lo > hi || !(half > 0) || hi / 2 - lo / 2 >= half / 2) {
            return null;
        }
        if (lo == hi) { // nothing to learn, whatever the bounds
            return "warning: every training label is " + Text.number(lo) + ", so the model has nothing to learn; check "
                    + "the label column, task.min_label / task.max_label (" + Text.number(task.minLabel()) + " to "
                    + Text.number(task.maxLabel()) + ") and the quarantined rows";
        }
        List<String> loose = new ArrayList<>();
        if (lo / 2 - task.minLabel() / 2 > half / 4) {
            loose.add("task.min_label (now " + Text.number(task.minLabel()) + ") to the lowest");
        }
        if (task.maxLabel() / 2 - hi / 2 > half / 4) {
            loose.add("task.max_label (now " + Text.number(task.maxLabel()) + ") to the highest");
        }
        return String.format(Locale.ROOT, "warning: the training labels lie in %s to %s, %.1f%% of the declared range"
                + " %s to %s; the model predicts on the declared range, so a loose bound squeezes its predictions "
                + "and costs RMSE: set %s label the data can take", Text.number(lo), Text.number(hi),
                100 * (hi / 2 - lo / 2) / half, Text.number(task.minLabel()), Text.number(task.maxLabel()),
                loose.isEmpty() ? "task.min_label and task.max_label to the lowest and highest" : String.join(" and ",
                        loose));
    }

    /**
     * Splits are drawn by query, so their shares of the rows follow the queries' sizes: warns when the validation or
     * test split's share is more than 15 points from what was asked, naming the largest query (one query with most
     * of the rows puts most of them in one split, and metrics pooled over pairs then mostly measure that query).
     */
    static void skewedSplits(StageContext ctx, Ingestor.Result r, SplitSpec asked) {
        long all = r.samples().size();
        if (all == 0) {
            return;
        }
        List<String> off = new ArrayList<>();
        double[] want = {asked.validation(), asked.test()};
        Split[] splits = {Split.VALIDATION, Split.TEST};
        for (int i = 0; i < splits.length; i++) {
            double got = (double) r.count(splits[i]) / all;
            if (Math.abs(got - want[i]) > 0.15) {
                off.add(String.format(Locale.ROOT, "%s %.0f%% of the rows (asked %.0f%%)", splits[i].name()
                        .toLowerCase(Locale.ROOT), 100 * got, 100 * want[i]));
            }
        }
        if (off.isEmpty()) {
            return;
        }
        Map.Entry<String, Long> largest = r.samples().stream().collect(Collectors.groupingBy(Sample::group,
                Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        ctx.console().info(String.format(Locale.ROOT, "  warning: the split by query gave %s: the largest query holds %d of the "
                + "%d rows (%.0f%%, '%s'); metrics pooled over pairs then mostly measure the largest queries; try "
                + "another split.seed, or give the splits (dataset.validation, dataset.test)", String.join(", ", off),
                largest.getValue(), all, 100.0 * largest.getValue() / all,
                Text.printable(truncate(largest.getKey()))));
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Quarantined rows by reason, most frequent first: "label out of range 229, not a number 3". */
    static String reasons(Ingestor.Result r) {
        Map<String, Long> by = r.quarantined().stream().collect(Collectors.groupingBy(Quarantined::kind,
                TreeMap::new, Collectors.counting()));
        return by.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * A label value outside the task's range on many rows is a misconfigured range (1-5 stars read as grades 0-3),
     * not bad rows: names the values and the setting.
     */
    static java.util.Optional<String> outOfRange(Ingestor.Result r, TaskType type) {
        Map<String, Long> byValue = r.quarantined().stream().filter(q -> q.kind().equals(Quarantined.OUT_OF_RANGE))
                .map(q -> q.reason().replaceFirst("^label (.*) is out of range.*$", "$1"))
                .collect(Collectors.groupingBy(v -> v, TreeMap::new, Collectors.counting()));
        long all = r.samples().size() + r.quarantined().size();
        List<String> many = byValue.entrySet().stream().filter(e -> e.getValue() >= 10 && 100 * e.getValue() >= all)
                .map(e -> e.getKey() + " (" + e.getValue() + " rows)").toList();
        if (many.isEmpty()) {
            return java.util.Optional.empty();
        }
        String expects = r.quarantined().stream().filter(q -> q.kind().equals(Quarantined.OUT_OF_RANGE)).findFirst()
                .map(q -> q.reason().replaceFirst("^.*: the task expects ", "")).orElse("");
        return java.util.Optional.of("label value" + (many.size() > 1 ? "s " : " ") + String.join(", ", many)
                + (many.size() > 1 ? " are" : " is") + " outside the task's range (" + expects + ") and quarantined: "
                + (type == TaskType.BINARY ? "a binary task's labels are 0 and 1 (its range cannot be widened): "
                        + "recode them (a click log's -1 as 0), or read grades with task.type: graded and "
                        + "task.min_label / task.max_label" : "if these are grades, set task.min_label / "
                        + "task.max_label to cover them"));
    }

    static void report(StageContext ctx, String source, Ingestor.Result r, String quarantineUri) {
        Map<String, Long> reasons = r.quarantined().stream().collect(Collectors.groupingBy(
                Quarantined::kind, TreeMap::new, Collectors.counting()));
        // recommendation reads every rating and keeps the positives: the rest is said, so the counts add up
        long notPositive = r.rowsRead() - r.samples().size() - r.quarantined().size() - r.duplicates();
        ctx.console().info(String.format("  read %d rows: kept %d, quarantined %d (%d source lines), duplicates "
                + "removed %d%s; split train %d / validation %d / utility %d / test %d", r.rowsRead(),
                r.samples().size(), r.quarantined().size(), r.quarantinedLines(), r.duplicates(),
                ctx.spec().task().recommendation() && notPositive > 0 ? ", rated below task.positive_at "
                        + notPositive : "",
                r.count(Split.TRAIN), r.count(Split.VALIDATION), r.count(Split.UTILITY), r.count(Split.TEST)));
        if (!r.quarantined().isEmpty()) {
            ctx.console().info("  quarantine by reason: " + reasons.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            List<Quarantined> shown = r.quarantined().subList(0, Math.min(SHOWN_ERRORS, r.quarantined().size()));
            for (Quarantined q : shown) {
                ctx.console().info("    " + q.describe(source));
            }
            if (r.quarantined().size() > SHOWN_ERRORS) {
                ctx.console().info("    ... " + (r.quarantined().size() - SHOWN_ERRORS) + " more");
            }
            ctx.console().info("  quarantine file: " + quarantineUri);
            outOfRange(r, ctx.spec().task().type()).ifPresent(w -> ctx.console().info("  warning: " + w));
            long all = r.rowsRead(); // the count of the read line above, duplicates included
            if (!r.samples().isEmpty() && 2 * r.quarantined().size() > all) {
                ctx.console().info(String.format(Locale.ROOT, "  warning: %d of the %d rows read (%.0f%%) quarantined, "
                        + "most for %s: check "
                        + "the columns, task.min_label / task.max_label and dataset.encoding before reading the "
                        + "results", r.quarantined().size(), all, 100.0 * r.quarantined().size() / all,
                        reasons(r).split(",")[0]));
            }
        }
        if (r.encodingAdvice() != null) {
            ctx.console().info("  " + r.encodingAdvice());
        }
    }
}
