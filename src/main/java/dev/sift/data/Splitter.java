package dev.sift.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits samples into train, validation and test by group, so no query appears in two splits (a query seen in
 * training would leak its relevance pattern into the test metrics).
 */
public final class Splitter {
    private Splitter() {
    }

    /**
     * Assigns each distinct group to a split. Groups are sorted, then shuffled with the seed, so the result
     * depends only on the set of groups and the seed. Each non-zero fraction gets at least one group when
     * there are at least three groups.
     */
    public static Map<String, Split> assign(List<String> groups, SplitSpec spec) {
        return assign(groups, spec, Set.of());
    }

    /**
     * {@link #assign}, with the groups of {@code inTrain} kept in training: the held-out splits are drawn from the
     * other groups, as many as the fractions ask of all of them (a utility file's queries, so that the queries that
     * value the samples neither pick the epochs nor are measured). With {@code inTrain} empty the same as
     * {@link #assign(List, SplitSpec)}.
     */
    public static Map<String, Split> assign(List<String> groups, SplitSpec spec, Set<String> inTrain) {
        List<String> distinct = new ArrayList<>(new TreeSet<>(groups));
        Collections.shuffle(distinct, new Random(spec.seed()));
        int g = distinct.size();
        // test first, then validation, then utility: adding a utility split leaves test and validation as they were
        int nTest = count(spec.test(), g);
        int nVal = count(spec.validation(), g);
        int nUtil = count(spec.utility(), g);
        if (nTest + nVal + nUtil >= g) {
            List<String> all = new ArrayList<>(List.of("train"));
            all.addAll(drawn(spec));
            throw new IllegalArgumentException("only " + g + " distinct queries: too few to split into " + and(all));
        }
        List<String> drawable = distinct.stream().filter(x -> !inTrain.contains(x)).toList();
        if (nTest + nVal + nUtil > drawable.size()) { // the ingestor says it in its words first
            throw new IllegalArgumentException("only " + drawable.size() + " of " + g + " distinct queries may be "
                    + "drawn, " + (nTest + nVal + nUtil) + " needed for " + and(drawn(spec)));
        }
        Map<String, Split> out = new HashMap<>();
        distinct.forEach(x -> out.put(x, Split.TRAIN));
        for (int i = 0; i < nTest + nVal + nUtil; i++) {
            out.put(drawable.get(i), i < nTest ? Split.TEST : i < nTest + nVal ? Split.VALIDATION : Split.UTILITY);
        }
        return out;
    }

    /** The held-out splits a spec draws, with their fractions: "validation (0.1)", "test (0.2)". */
    public static List<String> drawn(SplitSpec spec) {
        List<String> parts = new ArrayList<>();
        double[] shares = {spec.validation(), spec.utility(), spec.test()};
        String[] names = {"validation", "utility", "test"};
        for (int i = 0; i < names.length; i++) {
            if (shares[i] > 0) {
                parts.add(names[i] + " (" + shares[i] + ")");
            }
        }
        return parts;
    }

    /** "a", "a and b", "a, b and c". */
    public static String and(List<String> items) {
        return items.size() == 1 ? items.get(0) : String.join(", ", items.subList(0, items.size() - 1)) + " and "
                + items.get(items.size() - 1);
    }

    /** How many of {@code groups} groups the held-out splits of {@code spec} take. */
    public static int heldOut(SplitSpec spec, int groups) {
        return count(spec.test(), groups) + count(spec.validation(), groups) + count(spec.utility(), groups);
    }

    /** Groups for a fraction; a non-zero fraction gets at least one group when there are at least three. */
    private static int count(double fraction, int groups) {
        int n = (int) Math.round(fraction * groups);
        return groups >= 3 && fraction > 0 && n == 0 ? 1 : n;
    }
}
