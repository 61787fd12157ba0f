package dev.sift.data;

import java.util.ArrayList;
import java.util.Collections;
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
    public static Map<String, Split> assign(List<String> groups, double validation, double test, long seed) {
        List<String> distinct = new ArrayList<>(new TreeSet<>(groups));
        Collections.shuffle(distinct, new Random(seed));
        int g = distinct.size();
        int nTest = (int) Math.round(test * g);
        int nVal = (int) Math.round(validation * g);
        if (g >= 3) {
            if (test > 0 && nTest == 0) {
                nTest = 1;
            }
            if (validation > 0 && nVal == 0) {
                nVal = 1;
            }
        }
        if (nTest + nVal >= g) {
            throw new IllegalArgumentException("only " + g + " distinct queries: too few to split into train, "
                    + "validation (" + validation + ") and test (" + test + ")");
        }
        Map<String, Split> out = new java.util.HashMap<>();
        for (int i = 0; i < g; i++) {
            Split s = i < nTest ? Split.TEST : i < nTest + nVal ? Split.VALIDATION : Split.TRAIN;
            out.put(distinct.get(i), s);
        }
        return out;
    }
}
