package dev.sift.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        List<String> distinct = new ArrayList<>(new TreeSet<>(groups));
        Collections.shuffle(distinct, new Random(spec.seed()));
        int g = distinct.size();
        // test first, then validation, then utility: adding a utility split leaves test and validation as they were
        int nTest = count(spec.test(), g);
        int nVal = count(spec.validation(), g);
        int nUtil = count(spec.utility(), g);
        if (nTest + nVal + nUtil >= g) {
            throw new IllegalArgumentException("only " + g + " distinct queries: too few to split into train, "
                    + "validation (" + spec.validation() + "), utility (" + spec.utility() + ") and test ("
                    + spec.test() + ")");
        }
        Map<String, Split> out = new HashMap<>();
        for (int i = 0; i < g; i++) {
            Split s = i < nTest ? Split.TEST : i < nTest + nVal ? Split.VALIDATION
                    : i < nTest + nVal + nUtil ? Split.UTILITY : Split.TRAIN;
            out.put(distinct.get(i), s);
        }
        return out;
    }

    /** Groups for a fraction; a non-zero fraction gets at least one group when there are at least three. */
    private static int count(double fraction, int groups) {
        int n = (int) Math.round(fraction * groups);
        return groups >= 3 && fraction > 0 && n == 0 ? 1 : n;
    }
}
