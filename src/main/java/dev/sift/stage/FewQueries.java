package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The held-out splits are drawn by query (group), so a split of a few queries is all that a later number stands on:
 * the test metrics and their bootstrap intervals, early stopping and the grade cuts, or the value that
 * {@code knn_shapley} and {@code tracin} give every training sample. At a million generated pairs over 280 queries, a
 * utility split of 0.5% held one query, with flipped labels of its own, and TracIn against it ranked the flipped
 * training labels as more helpful than the rest (AUROC 0.33; README, "TracIn against a small or noisy utility
 * split"). Warns, one line per split, when a held-out split that has rows holds fewer than {@link #MIN} queries.
 */
final class FewQueries {
    /** A held-out split of fewer queries than this is warned of. */
    static final int MIN = 10;

    private FewQueries() {
    }

    /**
     * The warning lines. {@code given}: the validation, utility and test files the workflow names, or null (their
     * splits are widened by a file with more, not by a fraction the parser would refuse); {@code groups}: the split's
     * unit is a group column (sessions, say), not the query.
     */
    static List<String> warnings(List<Sample> samples, dev.sift.data.DatasetSpec.Given given, boolean groups) {
        Map<Split, Set<String>> bySplit = new EnumMap<>(Split.class);
        Map<Split, Integer> rows = new EnumMap<>(Split.class);
        for (Sample s : samples) {
            if (s.split() != Split.TRAIN) {
                bySplit.computeIfAbsent(s.split(), k -> new HashSet<>()).add(s.group());
                rows.merge(s.split(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        for (Split split : List.of(Split.VALIDATION, Split.UTILITY, Split.TEST)) {
            int n = bySplit.getOrDefault(split, Set.of()).size();
            if (n == 0 || n >= MIN) {
                continue;
            }
            String name = split.name().toLowerCase(java.util.Locale.ROOT);
            String them = n == 1 ? "it" : "them";
            String unit = groups ? (n == 1 ? " group" : " groups") : (n == 1 ? " query" : " queries");
            String givenFile = given == null ? null : given.of(split);
            boolean file = givenFile != null;
            String wider = file ? "give a dataset." + name + " file with more" + (groups ? " groups" : " queries")
                    : "raise split." + name;
            String what = switch (split) {
                case VALIDATION -> "what is chosen on it (early stopping, grade cuts, thresholds) rests on " + them
                        + " alone; " + wider;
                case UTILITY -> "knn_shapley and tracin value every training sample against " + them + " alone; "
                        + wider;
                default -> "every test metric and its bootstrap interval rest on " + them + " alone; " + wider;
            };
            out.add("warning: the " + name + " split holds " + n + unit + " (" + rows.get(split) + " pairs): "
                    + what);
        }
        return out;
    }
}
