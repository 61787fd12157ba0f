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
 * utility split of 0.5% held one query, and TracIn against it ranked the flipped labels as more helpful than the
 * rest (AUROC 0.33). Warns, one line per split, when a held-out split that has rows holds fewer than {@link #MIN}
 * queries.
 */
final class FewQueries {
    /** A held-out split of fewer queries than this is warned of. */
    static final int MIN = 10;

    private FewQueries() {
    }

    static List<String> warnings(List<Sample> samples) {
        Map<Split, Set<String>> groups = new EnumMap<>(Split.class);
        Map<Split, Integer> rows = new EnumMap<>(Split.class);
        for (Sample s : samples) {
            if (s.split() != Split.TRAIN) {
                groups.computeIfAbsent(s.split(), k -> new HashSet<>()).add(s.group());
                rows.merge(s.split(), 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>();
        for (Split split : List.of(Split.VALIDATION, Split.UTILITY, Split.TEST)) {
            int n = groups.getOrDefault(split, Set.of()).size();
            if (n == 0 || n >= MIN) {
                continue;
            }
            String name = split.name().toLowerCase(java.util.Locale.ROOT);
            String them = n == 1 ? "it" : "them";
            String what = switch (split) {
                case VALIDATION -> "what is chosen on it (early stopping, grade cuts, thresholds) rests on " + them
                        + " alone; raise split.validation, or give a dataset.validation with more queries";
                case UTILITY -> "knn_shapley and tracin value every training sample against " + them
                        + " alone; raise split.utility";
                default -> "every test metric and its bootstrap interval rest on " + them + " alone; raise "
                        + "split.test, or give a dataset.test with more queries";
            };
            out.add("warning: the " + name + " split holds " + n + (n == 1 ? " query" : " queries") + " ("
                    + rows.get(split) + " pairs): " + what);
        }
        return out;
    }
}
