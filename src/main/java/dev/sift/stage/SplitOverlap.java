package dev.sift.stage;

import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.workflow.StageContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Queries in training and in a held-out split, where the splits do not keep queries apart: given files, or splits
 * drawn by a group column other than the query (sessions, users), which keep groups apart, so the same query, even
 * the same pair, can be in training and test. Warns with the counts of such pairs, queries and exact (query, title)
 * copies, since a split by query is what the metrics assume.
 */
final class SplitOverlap {
    private SplitOverlap() {
    }

    static void warn(StageContext ctx, Ingestor.Result r, DatasetSpec ds) {
        lines(r, ds).forEach(w -> ctx.console().info("  warning: " + w));
    }

    /** {@link #warn}'s lines. */
    static List<String> lines(Ingestor.Result r, DatasetSpec ds) {
        List<String> lines = List.of();
        boolean grouped = ds.columns() != null && ds.columns().group() != null
                && !ds.columns().group().equals(ds.columns().query());
        String drawn = "the training split (the splits keep dataset.columns.group '" + (grouped ? ds.columns().group()
                : "") + "' apart, not queries)";
        if (ds.given() != null && (ds.given().test() != null || !grouped)) {
            lines = givenWarnings(r, ds.given().utility() != null);
        } else if (grouped) { // validation and test drawn by the group column (a utility file alone, or no file)
            lines = warnings(r, true, drawn, ds.given() != null);
        }
        return lines;
    }

    /**
     * A given split's lines, one per split that shares queries with the training file. A utility file is warned of
     * only for exact copies of training pairs (a curated set of the training queries is what it is for; a copy is
     * valued against itself).
     */
    static List<String> givenWarnings(Ingestor.Result r, boolean utilityFile) {
        return warnings(r, false, "the training file", utilityFile);
    }

    /**
     * @param byQuery compare the query text (else the ranking group, which is the query for given files)
     * @param utilityFile the utility split came from a file of its own (else it was drawn from the training rows,
     *     and counts as training here)
     */
    static List<String> warnings(Ingestor.Result r, boolean byQuery, String training, boolean utilityFile) {
        Function<Sample, String> key = byQuery ? Sample::query : Sample::group;
        Set<String> trainGroups = new HashSet<>();
        Set<String> trainPairs = new HashSet<>();
        for (Sample x : r.samples()) {
            if (x.split() == Split.TRAIN || x.split() == Split.UTILITY && !utilityFile) {
                trainGroups.add(key.apply(x));
                trainPairs.add(key.apply(x) + '\u0000' + x.title());
            }
        }
        List<String> out = new ArrayList<>();
        for (Split split : utilityFile ? List.of(Split.VALIDATION, Split.UTILITY, Split.TEST)
                : List.of(Split.VALIDATION, Split.TEST)) {
            long pairs = 0;
            long copies = 0;
            Set<String> queries = new HashSet<>();
            Set<String> shared = new HashSet<>();
            for (Sample x : r.samples()) {
                if (x.split() != split) {
                    continue;
                }
                String k = key.apply(x);
                queries.add(k);
                if (trainGroups.contains(k)) {
                    pairs++;
                    shared.add(k);
                    copies += trainPairs.contains(k + '\u0000' + x.title()) ? 1 : 0;
                }
            }
            String name = split.name().toLowerCase(Locale.ROOT);
            if (split == Split.UTILITY) {
                testQueries(r, key).ifPresent(out::add);
            }
            if (split == Split.UTILITY && copies > 0) {
                out.add(String.format("%s: %d of %d pairs are the same query and title as a pair in %s: "
                        + "knn_shapley and tracin value those training pairs against their own copies", name, copies,
                        r.count(split), training));
            } else if (split != Split.UTILITY && pairs > 0) {
                out.add(String.format("%s: %d of %d pairs (%d of %d queries) have a query that is also in %s, %d of "
                        + "them the same query and title: on those the metrics measure memory, not how the model does "
                        + "on new queries", name, pairs, r.count(split), shared.size(), queries.size(), training,
                        copies));
            }
        }
        return out;
    }

    /**
     * A utility file's pairs whose query the test split holds: the value methods then choose the kept subset by
     * queries the test split measures, and the kept set's test metrics are flattered by it.
     */
    private static java.util.Optional<String> testQueries(Ingestor.Result r, Function<Sample, String> key) {
        Set<String> test = new HashSet<>();
        r.samples().stream().filter(x -> x.split() == Split.TEST).forEach(x -> test.add(key.apply(x)));
        Set<String> queries = new HashSet<>();
        Set<String> shared = new HashSet<>();
        long pairs = 0;
        for (Sample x : r.samples()) {
            if (x.split() == Split.UTILITY) {
                queries.add(key.apply(x));
                if (test.contains(key.apply(x))) {
                    pairs++;
                    shared.add(key.apply(x));
                }
            }
        }
        return pairs == 0 ? java.util.Optional.empty() : java.util.Optional.of(String.format("utility: %d of %d pairs "
                + "(%d of %d queries) have a query that is also in the test split: knn_shapley and tracin would choose "
                + "the kept samples by queries the test metrics are then measured on", pairs, r.count(Split.UTILITY),
                shared.size(), queries.size()));
    }
}
