package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitterTest {
    private static final List<String> GROUPS = IntStream.range(0, 100).mapToObj(i -> "q" + i).toList();

    @Test
    void fourSplitsByGroupInTheirShares() {
        Map<String, Split> a = Splitter.assign(GROUPS, new SplitSpec(0.1, 0.15, 0.2, 3));
        assertEquals(100, a.size());
        assertEquals(20, count(a, Split.TEST));
        assertEquals(10, count(a, Split.VALIDATION));
        assertEquals(15, count(a, Split.UTILITY));
        assertEquals(55, count(a, Split.TRAIN));
    }

    /** Adding a utility split takes groups from training only: test and validation stay the same queries. */
    @Test
    void utilityLeavesTestAndValidationAsTheyWere() {
        Map<String, Split> without = Splitter.assign(GROUPS, new SplitSpec(0.1, 0.0, 0.2, 7));
        Map<String, Split> with = Splitter.assign(GROUPS, new SplitSpec(0.1, 0.1, 0.2, 7));
        for (String g : GROUPS) {
            if (without.get(g) != Split.TRAIN) {
                assertEquals(without.get(g), with.get(g), g);
            } else {
                assertTrue(with.get(g) == Split.TRAIN || with.get(g) == Split.UTILITY, g);
            }
        }
        assertEquals(0, count(without, Split.UTILITY));
    }

    /** Groups kept in training are never drawn out; with none kept the draw is the one without the argument. */
    @Test
    void groupsKeptInTrainingAreNeverDrawnAndTheSharesAreOfAllGroups() {
        java.util.Set<String> kept = java.util.Set.copyOf(GROUPS.subList(0, 40));
        for (long seed = 0; seed < 20; seed++) {
            SplitSpec spec = new SplitSpec(0.1, 0.15, 0.2, seed);
            Map<String, Split> a = Splitter.assign(GROUPS, spec, kept);
            kept.forEach(g -> assertEquals(Split.TRAIN, a.get(g), g));
            assertEquals(20, count(a, Split.TEST));
            assertEquals(10, count(a, Split.VALIDATION));
            assertEquals(15, count(a, Split.UTILITY));
            assertEquals(Splitter.assign(GROUPS, spec), Splitter.assign(GROUPS, spec, java.util.Set.of()));
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Splitter.assign(GROUPS, new SplitSpec(0.1, 0, 0.2, 1), java.util.Set.copyOf(GROUPS.subList(0,
                        80))));
        assertEquals("only 20 of 100 distinct queries may be drawn, 30 needed for validation (0.1) and test (0.2)",
                e.getMessage());
        assertEquals(30, Splitter.heldOut(new SplitSpec(0.1, 0, 0.2, 1), 100));
    }

    private static long count(Map<String, Split> a, Split s) {
        return a.values().stream().filter(x -> x == s).count();
    }
}
