package dev.sift.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SelectionTest {
    private static Pool pool(double... scores) {
        String[] g = new String[scores.length];
        Arrays.fill(g, "q");
        return new Pool(scores, g, new int[scores.length], null);
    }

    @Test
    void topFractionKeepsEitherEnd() {
        Pool p = pool(0.5, 0.9, 0.1, 0.9, 0.3);
        TopFraction top = new TopFraction();
        assertArrayEquals(new int[] {1, 3}, top.select(p, 0.4, Order.HIGHEST, 0));
        assertArrayEquals(new int[] {2, 4}, top.select(p, 0.4, Order.LOWEST, 0));
        assertArrayEquals(new int[] {0, 1, 3}, top.select(p, 0.5, Order.HIGHEST, 0)); // ceil(2.5) = 3
        assertEquals(5, top.select(p, 1.0, Order.HIGHEST, 0).length);
        assertThrows(IllegalArgumentException.class, () -> top.select(p, 1.5, Order.HIGHEST, 0));
    }

    @Test
    void randomSubsetIsSeededSortedAndWithoutRepeats() {
        int[] a = new RandomSubset(30, 5).select(100);
        assertArrayEquals(a, new RandomSubset(30, 5).select(100));
        assertEquals(30, Arrays.stream(a).distinct().count());
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
    }

    /** Scores 0..99, keep the low end (higher = remove): the pruned top 10 never come back, all bins contribute. */
    @Test
    void coverageCentricPrunesTheRemovedEndAndCoversTheRest() {
        double[] s = IntStream.range(0, 100).asDoubleStream().toArray();
        int[] kept = new CoverageCentric().select(pool(s), 0.3, Order.LOWEST, 1);
        assertEquals(30, kept.length);
        assertTrue(Arrays.stream(kept).allMatch(i -> i < 90), Arrays.toString(kept));
        // coverage: kept samples spread over the 0..89 range, not just its low end (top_fraction would stop at 29)
        assertTrue(Arrays.stream(kept).max().getAsInt() > 80 && Arrays.stream(kept).min().getAsInt() < 10,
                Arrays.toString(kept));
        assertArrayEquals(kept, new CoverageCentric().select(pool(s), 0.3, Order.LOWEST, 1), "seeded");
    }

    @Test
    void stratifiedKeepsEveryQueryAndGrade() {
        double[] s = {1, 2, 3, 4, 5, 6, 7, 8};
        String[] g = {"a", "a", "a", "a", "b", "b", "b", "b"};
        int[] grades = {0, 0, 1, 1, 0, 0, 1, 1};
        int[] kept = new Stratified().select(new Pool(s, g, grades, null), 0.5, Order.HIGHEST, 0);
        // in each (query, grade) pair of two, the higher score
        assertArrayEquals(new int[] {1, 3, 5, 7}, kept);
    }

    /** Ties at the cut go in a seeded random order: by position a count-valued score kept the file's first rows. */
    @Test
    void tiesAtTheCutFollowTheSeedNotThePosition() {
        Pool flat = pool(new double[40]);
        java.util.Set<Integer> first = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            int[] kept = new TopFraction().select(flat, 0.25, Order.LOWEST, seed);
            assertEquals(10, kept.length);
            assertArrayEquals(kept, new TopFraction().select(flat, 0.25, Order.LOWEST, seed), "seeded");
            Arrays.stream(kept).forEach(first::add);
        }
        assertTrue(first.size() > 30, "over 20 seeds the kept tenth of a tie covers most of it: " + first.size());
    }

    /**
     * The stratified policy's control draws as many of every (query, grade) stratum at random: kept against it
     * measures the scores, not the balance of queries and grades (a review's).
     */
    @Test
    void theStratifiedControlDrawsTheSameCountFromEveryStratum() {
        int n = 60;
        double[] s = IntStream.range(0, n).asDoubleStream().toArray();
        String[] g = IntStream.range(0, n).mapToObj(i -> i < 40 ? "a" : "b").toArray(String[]::new);
        int[] grades = IntStream.range(0, n).map(i -> i % 10 < 7 ? 0 : 1).toArray();
        Pool p = new Pool(s, g, grades, null);
        Stratified st = new Stratified();
        Selection kept = st.build(p, 0.3, Order.LOWEST, 3);
        Selection control = st.control(p, kept, 3);
        assertEquals(kept.positions().length, control.positions().length);
        java.util.Map<String, Long> a = Arrays.stream(kept.positions()).mapToObj(i -> g[i] + grades[i]).collect(
                java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
        java.util.Map<String, Long> b = Arrays.stream(control.positions()).mapToObj(i -> g[i] + grades[i]).collect(
                java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
        assertEquals(a, b, "per stratum");
        assertTrue(!Arrays.equals(kept.positions(), control.positions()), "drawn, not the lowest scores");
        assertArrayEquals(control.positions(), st.control(p, kept, 3).positions(), "seeded");
        assertEquals(control.positions().length, Arrays.stream(control.positions()).distinct().count());
    }

    @Test
    void dropFlaggedKeepsExactlyTheUnflagged() {
        boolean[] flagged = {false, true, false, true, false};
        Pool p = new Pool(new double[5], new String[] {"a", "a", "a", "a", "a"}, new int[5], flagged);
        assertArrayEquals(new int[] {0, 2, 4}, new DropFlagged().select(p, 0.1, Order.HIGHEST, 0));
        assertThrows(IllegalStateException.class, () -> new DropFlagged().select(pool(1, 2), 0.5, Order.LOWEST, 0));
    }

    /**
     * 300 scores from N(0, 1) and 60 from N(8, 1), shuffled: the mixture drops the 60 and no others, at either
     * orientation; NaN is dropped; equal scores keep everything.
     */
    @Test
    void dropMixtureDropsTheComponentAtTheRemovedEnd() {
        java.util.Random r = new java.util.Random(3);
        int n = 360;
        double[] s = new double[n];
        boolean[] outlier = new boolean[n];
        for (int i = 0; i < n; i++) {
            outlier[i] = i % 6 == 5;
            s[i] = (outlier[i] ? 8 : 0) + r.nextGaussian();
        }
        int[] kept = new DropMixture().select(pool(s), 0.5, Order.LOWEST, 0);
        assertEquals(300, kept.length);
        assertTrue(Arrays.stream(kept).noneMatch(i -> outlier[i]));
        double[] negated = Arrays.stream(s).map(v -> -v).toArray();
        assertArrayEquals(kept, new DropMixture().select(pool(negated), 0.5, Order.HIGHEST, 0), "oriented by order");
        // the fitted components are the generating ones
        DropMixture.Fit f = DropMixture.fit(s);
        assertEquals(0, f.meanKept(), 0.2);
        assertEquals(8, f.meanRemoved(), 0.3);
        assertEquals(60.0 / 360, f.wRemoved(), 0.01);
        // kept-end scores far below the kept mean stay, though the wider component may be likelier there
        double[] tail = Arrays.copyOf(s, n + 1);
        tail[n] = -40;
        assertTrue(Arrays.stream(new DropMixture().select(pool(tail), 0.5, Order.LOWEST, 0)).anyMatch(i -> i == n));

        // positive scores are fitted on their logarithm: clean ones log-normal with a long right tail, the flipped
        // ones log-normal around 1; the raw-value fit would spend a component on the clean tail
        double[] skewed = new double[n];
        for (int i = 0; i < n; i++) {
            skewed[i] = Math.exp(outlier[i] ? 0.2 * r.nextGaussian() : -1.5 + 0.5 * r.nextGaussian());
        }
        int[] keptSkewed = new DropMixture().select(pool(skewed), 0.5, Order.LOWEST, 0);
        long clean = Arrays.stream(keptSkewed).filter(i -> !outlier[i]).count();
        assertTrue(clean >= 295 && keptSkewed.length - clean <= 5, keptSkewed.length + " kept, " + clean + " clean");

        double[] withNan = {0.1, Double.NaN, 0.2};
        assertArrayEquals(new int[] {0, 2}, new DropMixture().select(pool(withNan), 0.5, Order.LOWEST, 0));
        assertArrayEquals(new int[] {0, 1, 2}, new DropMixture().select(pool(1, 1, 1), 0.5, Order.LOWEST, 0));
    }

    /**
     * A grade whose scores put most of it at the removed end (250 around 8, 110 around 0) is kept whole: noise is
     * taken to be the minority of a grade, so such a fit has split something other than noise from clean.
     */
    @Test
    void dropMixtureKeepsAGradeWholeWhenMostOfItIsAtTheRemovedEnd() {
        java.util.Random r = new java.util.Random(5);
        double[] s = new double[360];
        for (int i = 0; i < s.length; i++) {
            s[i] = (i < 250 ? 8 : 0) + r.nextGaussian();
        }
        assertTrue(DropMixture.fit(s).wRemoved() > 0.5);
        assertEquals(360, new DropMixture().select(pool(s), 0.5, Order.LOWEST, 0).length);
        double[] withNan = Arrays.copyOf(s, 361);
        withNan[360] = Double.NaN;
        assertEquals(360, new DropMixture().select(pool(withNan), 0.5, Order.LOWEST, 0).length, "NaN still dropped");
        // the other orientation: the 110 around 0 are then the removed end, a minority, and are dropped
        assertEquals(250, new DropMixture().select(pool(s), 0.5, Order.HIGHEST, 0).length);
    }

    /**
     * A small tight component beside a broad one (a grade's log-losses: 470 around -0.71, 19 around 1.34) can take
     * EM more than 500 steps to settle: the fit runs until it has, and drops what the settled fit drops.
     */
    @Test
    void dropMixtureFitsUntilEmSettles() {
        int slow = 0;
        for (int seed = 0; seed < 30; seed++) {
            java.util.Random r = new java.util.Random(seed);
            double[] x = new double[489];
            for (int i = 0; i < x.length; i++) {
                x[i] = i < 470 ? -0.71 + 0.68 * r.nextGaussian() : 1.336 + 0.117 * r.nextGaussian();
            }
            DropMixture.Fit settled = DropMixture.fit(x, 1_000_000);
            DropMixture.Fit fit = DropMixture.fit(x);
            assertEquals(settled.meanRemoved(), fit.meanRemoved(), 1e-6, "seed " + seed);
            assertEquals(settled.wRemoved(), fit.wRemoved(), 1e-6, "seed " + seed);
            DropMixture.Fit capped = DropMixture.fit(x, 500);
            slow += Math.abs(capped.wRemoved() - settled.wRemoved()) > 1e-3 ? 1 : 0;
        }
        assertTrue(slow > 0, "no case needed more than 500 steps: the test shows nothing");
        assertEquals(10_000, DropMixture.maxIterations(489));
        assertEquals(500, DropMixture.maxIterations(1_000_000));
    }

    /**
     * A common grade whose correct labels score around 0 and a rare one whose correct labels score around 5 (a
     * loss is higher for a rarer grade), each with its own outliers 8 above: one mixture per grade drops exactly the
     * outliers, where one mixture over both takes the rare grade for noise (and, that component holding more than
     * half, keeps everything).
     */
    @Test
    void dropMixtureFitsEachGradeOnItsOwn() {
        java.util.Random r = new java.util.Random(5);
        int n = 360;
        double[] s = new double[n];
        int[] grades = new int[n];
        boolean[] outlier = new boolean[n];
        for (int i = 0; i < n; i++) {
            grades[i] = i < 240 ? 0 : 1;
            outlier[i] = i % 6 == 5;
            s[i] = (grades[i] == 1 ? 5 : 0) + (outlier[i] ? 8 : 0) + r.nextGaussian();
        }
        String[] g = new String[n];
        Arrays.fill(g, "q");
        int[] kept = new DropMixture().select(new Pool(s, g, grades, null), 0.5, Order.LOWEST, 0);
        assertEquals(300, kept.length);
        assertTrue(Arrays.stream(kept).noneMatch(i -> outlier[i]));
        // one mixture over both grades fits the rare grade and the outliers as its removed-end component, more than
        // half of the pool: it is kept whole (before stop 59 it dropped the rare grade's correct labels), so the
        // pooled fit misses every outlier the per-grade fits find
        assertTrue(DropMixture.fit(s).wRemoved() > 0.5, "fitted on the raw scores: some are negative");
        boolean[] pooled = DropMixture.dropped(s, Order.LOWEST);
        assertEquals(0, IntStream.range(0, n).filter(i -> pooled[i]).count(),
                "one mixture over both grades drops nothing, where one per grade drops the 60 outliers");
        // a grade too small to fit keeps every scored sample
        int[] few = {0, 0, 0, 1, 1};
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, new DropMixture().select(new Pool(new double[] {0, 9, 0, 1, 2},
                new String[] {"q", "q", "q", "q", "q"}, few, null), 0.5, Order.LOWEST, 0));
    }

    @Test
    void theRegistryHoldsEveryPolicy() {
        assertEquals(List.of("ccs", "drop_flagged", "drop_groups", "drop_mixture", "relabel", "stratified",
                "top_fraction", "weighted"), SelectionPolicies.names());
    }

    @Test
    void weightedKeepsEverySampleWithWeightsOfMeanOneAndZeroAtTheRemoveEnd() {
        Pool p = pool(0.5, 2.0, 1.0, 0.0);
        Selection low = new Weighted().build(p, 0.5, Order.LOWEST, 1); // low score = keep: loss-like
        assertArrayEquals(new int[] {0, 1, 2, 3}, low.positions());
        assertEquals(4.0, Arrays.stream(low.weights()).sum(), 1e-12);
        assertEquals(0.0, low.weights()[1], 0.0, "the highest loss weighs 0");
        assertTrue(low.weights()[3] > low.weights()[0] && low.weights()[0] > low.weights()[2]);
        // keep-ness 2.0 - s: 1.5, 0, 1, 2 over a sum of 4.5, times n = 4
        assertEquals(1.5 / 4.5 * 4, low.weights()[0], 1e-12);
        Selection high = new Weighted().build(p, 0.5, Order.HIGHEST, 1); // non-negative: ratios kept
        assertEquals(2.0 / 3.5 * 4, high.weights()[1], 1e-12);
        assertEquals(0.0, high.weights()[3], 0.0);
        Selection control = new Weighted().control(p, low, 9);
        assertArrayEquals(low.positions(), control.positions());
        double[] a = low.weights().clone();
        double[] b = control.weights().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b, 0.0, "the control shuffles the same weights");
        assertArrayEquals(control.weights(), new Weighted().control(p, low, 9).weights(), 0.0, "seeded");
    }

    @Test
    void relabelTrainsFlaggedSamplesOnTheSuggestedGradeAndItsControlChangesAsManyAtRandom() {
        double[] s = new double[40];
        String[] g = new String[40];
        Arrays.fill(g, "q");
        int[] grades = new int[40];
        boolean[] flagged = new boolean[40];
        int[] suggested = new int[40];
        Arrays.fill(suggested, -1);
        flagged[3] = true;
        suggested[3] = 2;
        flagged[7] = true;
        suggested[7] = 0; // suggests the grade it has: nothing to change
        flagged[11] = true;
        suggested[11] = 3;
        Pool p = new Pool(s, g, grades, flagged, suggested);
        Selection r = new Relabel().build(p, 0.5, Order.LOWEST, 1);
        assertEquals(40, r.positions().length);
        assertEquals(2, r.relabelled());
        assertEquals(2, r.labels()[3]);
        assertEquals(-1, r.labels()[7]);
        assertEquals(3, r.labels()[11]);
        assertEquals(-1, r.labels()[0]);
        Selection control = new Relabel().control(p, r, 5);
        assertEquals(2, control.relabelled(), "grades 2 and 3 differ from every sample's 0");
        int[] newGrades = Arrays.stream(control.labels()).filter(l -> l >= 0).sorted().toArray();
        assertArrayEquals(new int[] {2, 3}, newGrades);
        assertArrayEquals(control.labels(), new Relabel().control(p, r, 5).labels(), "seeded");
        assertThrows(IllegalStateException.class, () -> new Relabel().build(pool(1, 2), 0.5, Order.LOWEST, 1));
    }

    /**
     * A review's case: 70 of 100 samples have grade 1, the 10 flagged are grade 0 samples suggested grade 1. Drawn
     * among all samples, the control changed about 3 labels (a draw of a grade 1 sample changed nothing); it changes
     * 10, every one a sample whose grade was not 1, on every seed.
     */
    @Test
    void theRelabelControlMakesAsManyChangesWhenMostSamplesHaveTheSuggestedGrade() {
        int n = 100;
        int[] grades = new int[n];
        boolean[] flagged = new boolean[n];
        int[] suggested = new int[n];
        Arrays.fill(suggested, -1);
        for (int i = 0; i < n; i++) {
            grades[i] = i < 30 ? 0 : 1;
            if (i < 10) {
                flagged[i] = true;
                suggested[i] = 1;
            }
        }
        String[] g = new String[n];
        Arrays.fill(g, "q");
        Pool p = new Pool(new double[n], g, grades, flagged, suggested);
        Selection r = new Relabel().build(p, 0.5, Order.LOWEST, 1);
        assertEquals(10, r.relabelled());
        for (long seed = 1; seed <= 20; seed++) {
            Selection control = new Relabel().control(p, r, seed);
            assertEquals(10, control.relabelled(), "seed " + seed);
            for (int i = 0; i < n; i++) {
                assertTrue(control.labels()[i] < 0 || grades[i] == 0 && control.labels()[i] == 1, "seed " + seed);
            }
        }
    }
}
