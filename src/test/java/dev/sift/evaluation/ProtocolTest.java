package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProtocolTest {
    private static final TaskSpec GRADED = new TaskSpec(TaskType.GRADED, 0, 3);

    /** 40 queries of 5 pairs with grades 0..3. */
    private static TestSet testSet() {
        int n = 200;
        double[] rel = new double[n];
        int[] truth = new int[n];
        String[] group = new String[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) {
            truth[i] = r.nextInt(4);
            rel[i] = truth[i];
            group[i] = "q" + (i / 5);
        }
        return new TestSet(GRADED, 10, rel, truth, group);
    }

    private static TestOutcome perfect(TestSet t) {
        return new TestOutcome(t.relevance().clone(), t.truth().clone(), t.relevance().clone());
    }

    private static TestOutcome noisy(TestSet t, long seed) {
        Random r = new Random(seed);
        int[] p = new int[t.size()];
        double[] s = new double[t.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextDouble() < 0.5 ? t.truth()[i] : r.nextInt(4);
            s[i] = p[i] + r.nextDouble();
        }
        double[] v = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            v[i] = p[i];
        }
        return new TestOutcome(s, p, v);
    }

    @Test
    void aModelAgainstItselfDiffersByExactlyZero() {
        TestSet t = testSet();
        var o = List.of(noisy(t, 2), noisy(t, 3));
        for (Protocol.Interval i : Protocol.compare(t, o, o, 200, 5).values()) {
            assertEquals(0.0, i.delta(), 1e-12);
            assertEquals(0.0, i.lo(), 1e-12);
            assertEquals(0.0, i.hi(), 1e-12);
            assertFalse(i.excludesZero());
            assertEquals(40, i.queries());
        }
    }

    /** Rounding in the last bits of two means is no difference: it is stored and shown as 0, and excludes nothing. */
    @Test
    void differencesWithinRoundingOfZeroAreZero() {
        Protocol.Interval i = new Protocol.Interval(-9.25e-19, -3e-18, 2e-13, 1000, 40);
        assertEquals(0.0, i.delta());
        assertEquals(0.0, i.lo());
        assertEquals(0.0, i.hi());
        assertFalse(i.excludesZero());
        Protocol.Interval real = new Protocol.Interval(1e-9, 2e-10, 3e-9, 1000, 40);
        assertEquals(1e-9, real.delta());
        assertTrue(real.excludesZero(), "a tiny but real difference stays");
        assertTrue(Double.isNaN(new Protocol.Interval(0.1, Double.NaN, Double.NaN, 0, 3).lo()), "no interval: NaN");
    }

    @Test
    void aClearlyBetterModelGetsAnIntervalAboveZero() {
        TestSet t = testSet();
        Map<String, Protocol.Interval> c = Protocol.compare(t, List.of(perfect(t)), List.of(noisy(t, 2), noisy(t, 3)),
                500, 7);
        for (String m : List.of("ndcg@10", "accuracy", "kappa")) {
            Protocol.Interval i = c.get(m);
            assertTrue(i.delta() > 0 && i.lo() > 0 && i.lo() <= i.delta() && i.delta() <= i.hi(), m + " " + i);
        }
    }

    /**
     * Two training seeds of one model far apart (one perfect, one noisy) against a steady other: drawing the seeds
     * too widens the interval by their spread; drawing only queries holds the two seeds fixed and is narrower. A model
     * against itself stays exactly 0 either way, because the seeds are drawn paired.
     */
    @Test
    void drawingTheSeedsTooWidensTheIntervalBySeedSpread() {
        TestSet t = testSet();
        List<TestOutcome> spread = List.of(perfect(t), noisy(t, 2));
        List<TestOutcome> steady = List.of(noisy(t, 3), noisy(t, 4));
        Protocol.Interval queries = Protocol.compare(t, spread, steady, 1000, 7, false).get("kappa");
        Protocol.Interval both = Protocol.compare(t, spread, steady, 1000, 7, true).get("kappa");
        assertEquals(queries.delta(), both.delta(), 1e-12, "the same difference of seed means");
        assertTrue(both.hi() - both.lo() > 2 * (queries.hi() - queries.lo()), queries + " against " + both);
        for (Protocol.Interval i : Protocol.compare(t, spread, spread, 300, 5, true).values()) {
            assertEquals(0.0, i.lo(), 1e-12);
            assertEquals(0.0, i.hi(), 1e-12);
        }
        Protocol.Interval oneSeed = Protocol.compare(t, List.of(perfect(t)), List.of(noisy(t, 2)), 500, 7, true)
                .get("kappa");
        Protocol.Interval oneSeedQueries = Protocol.compare(t, List.of(perfect(t)), List.of(noisy(t, 2)), 500, 7,
                false).get("kappa");
        assertEquals(oneSeedQueries.lo(), oneSeed.lo(), 1e-12, "one seed a side: nothing to draw");
        assertEquals(oneSeedQueries.hi(), oneSeed.hi(), 1e-12);
    }

    @Test
    void tooFewQueriesGetTheDifferenceButNoInterval() {
        TestSet all = testSet();
        int n = 4 * 5; // four queries of five pairs: below Protocol.MIN_UNITS
        TestSet t = testSetOf(all, n);
        TestOutcome p = perfect(t);
        TestOutcome q = noisy(t, 2);
        Map<String, Protocol.Interval> c = Protocol.compare(t, List.of(p), List.of(q), 500, 7);
        Protocol.Interval k = c.get("kappa");
        assertTrue(k.delta() > 0, k.toString());
        assertTrue(Double.isNaN(k.lo()) && Double.isNaN(k.hi()) && !k.excludesZero(), "a point is not an interval");
        assertEquals("n/a", dev.sift.history.Table.YesNo.excludesZero(k.lo(), k.hi()).toString());
        assertEquals(4, k.queries());
        Protocol.Interval five = Protocol.compare(testSetOf(all, 25), List.of(perfect(testSetOf(all, 25))),
                List.of(noisy(testSetOf(all, 25), 2)), 500, 7).get("kappa");
        assertFalse(Double.isNaN(five.lo()), "five queries get their interval");
    }

    /** 60 click queries of 10 pairs, positives in only two of them: AUC and NDCG rest on 2 queries, not 60. */
    @Test
    void anIntervalCountsOnlyTheQueriesThatInformItsMetric() {
        int n = 600;
        double[] rel = new double[n];
        int[] truth = new int[n];
        String[] group = new String[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i < 20 && i % 2 == 0 ? 1 : 0;
            rel[i] = truth[i];
            group[i] = "q" + (i / 10);
        }
        TestSet t = new TestSet(new TaskSpec(TaskType.BINARY, 0, 1), 10, rel, truth, group);
        double[] good = new double[n];
        double[] bad = new double[n];
        for (int i = 0; i < n; i++) {
            good[i] = truth[i] + 0.001 * (i % 7);
            bad[i] = 0.5 - 0.4 * truth[i] + 0.001 * (i % 5);
        }
        Map<String, Protocol.Interval> c = Protocol.compare(t, List.of(TestOutcome.binary(good, good, 0.5)),
                List.of(TestOutcome.binary(bad, bad, 0.5)), 300, 7);
        assertEquals(60, c.get("log_loss").queries(), "every query's pairs inform log loss and accuracy");
        assertEquals(60, c.get("accuracy").queries());
        for (String metric : List.of("auc", "ndcg@10", "f1", "kappa")) {
            Protocol.Interval i = c.get(metric);
            assertEquals(2, i.queries(), metric);
            assertTrue(Double.isNaN(i.lo()) && !i.excludesZero() && i.resamples() == 0, metric + ": " + i);
            assertTrue(i.delta() != 0, metric + " keeps its difference");
        }
        TestSet graded = testSet();
        Protocol.Interval kappa = Protocol.compare(graded, List.of(perfect(graded)), List.of(noisy(graded, 2)), 300,
                7).get("kappa");
        assertEquals(40, kappa.queries(), "a graded kappa: the queries with a grade other than the commonest");
        assertTrue(kappa.excludesZero());
        // one pair of a rare grade in one query of 60: no interval (a probe's "excludes 0" rested on that pair)
        int[] rare = new int[n];
        double[] rareRel = new double[n];
        rare[3] = 2;
        rareRel[3] = 2;
        for (int i = 0; i < n; i++) {
            if (i != 3) {
                rare[i] = 3;
                rareRel[i] = 3;
            }
        }
        TestSet oneRare = new TestSet(GRADED, 10, rareRel, rare, group);
        Protocol.Interval rareKappa = Protocol.compare(oneRare, List.of(perfect(oneRare)), List.of(noisy(oneRare, 2)),
                300, 7).get("kappa");
        assertEquals(1, rareKappa.queries());
        assertTrue(!rareKappa.excludesZero() && rareKappa.resamples() == 0, rareKappa.toString());
        // positives in 5 of the 60 queries: about 0.5% of resamples draw none of them, where AUC is undefined; the
        // interval says how many resamples it came from, not how many were asked for (a review's)
        int[] few = new int[n];
        double[] fewRel = new double[n];
        for (int i = 0; i < n; i++) {
            few[i] = i % 10 == 0 && i < 50 ? 1 : 0;
            fewRel[i] = few[i];
        }
        TestSet sparse = new TestSet(new TaskSpec(TaskType.BINARY, 0, 1), 10, fewRel, few, group);
        double[] up = new double[n];
        double[] down = new double[n];
        for (int i = 0; i < n; i++) {
            up[i] = few[i] + 0.001 * (i % 7);
            down[i] = 0.5 - 0.4 * few[i] + 0.001 * (i % 5);
        }
        Protocol.Interval auc = Protocol.compare(sparse, List.of(TestOutcome.binary(up, up, 0.5)),
                List.of(TestOutcome.binary(down, down, 0.5)), 2000, 7).get("auc");
        assertEquals(5, auc.queries());
        assertTrue(auc.resamples() < 2000 && auc.resamples() > 1900, auc.toString());
        // MRR, as NDCG, is informed by the queries with a positive and a negative: the same 5 here
        Protocol.Interval mrr = Protocol.compare(sparse, List.of(TestOutcome.binary(up, up, 0.5)),
                List.of(TestOutcome.binary(down, down, 0.5)), 2000, 7).get("mrr");
        assertEquals(5, mrr.queries());
        assertTrue(mrr.delta() > 0 && mrr.resamples() > 1900, mrr.toString());
        assertEquals(2000, Protocol.compare(sparse, List.of(TestOutcome.binary(up, up, 0.5)),
                List.of(TestOutcome.binary(down, down, 0.5)), 2000, 7).get("log_loss").resamples(), "always defined");
    }

    private static TestSet testSetOf(TestSet all, int n) {
        return new TestSet(GRADED, 10, java.util.Arrays.copyOf(all.relevance(), n),
                java.util.Arrays.copyOf(all.truth(), n), java.util.Arrays.copyOf(all.group(), n));
    }

    @Test
    void majorityPredictsTheModeAndHasKappaZero() {
        TestSet t = testSet();
        TestOutcome m = TestOutcome.majority(t, new double[] {2, 2, 2, 1, 0});
        for (int p : m.predicted()) {
            assertEquals(2, p);
        }
        Map<String, Double> v = Protocol.measure(t, m);
        assertEquals(0.0, v.get("kappa"), 1e-12);
        long twos = java.util.Arrays.stream(t.truth()).filter(x -> x == 2).count();
        assertEquals((double) twos / t.size(), v.get("accuracy"), 1e-12);
        // it ranks nothing: one constant score, so its NDCG is the expectation over every order of the tied pairs
        assertFalse(m.ranks());
        assertTrue(java.util.Arrays.stream(m.score()).allMatch(x -> x == m.score()[0]), "a constant score");
        assertTrue(v.get("ndcg@10") > 0 && v.get("ndcg@10") < 1, v.toString());
        assertEquals(Metrics.ndcgAtK(new double[t.size()], t.relevance(), t.group(), 10), v.get("ndcg@10"), 1e-12);
    }

    @Test
    void theBinaryMajorityHasAucOneHalf() {
        int n = 60;
        double[] rel = new double[n];
        int[] truth = new int[n];
        String[] group = new String[n];
        for (int i = 0; i < n; i++) {
            truth[i] = i % 3 == 0 ? 1 : 0;
            rel[i] = truth[i];
            group[i] = "q" + (i / 6);
        }
        TestSet t = new TestSet(new TaskSpec(TaskType.BINARY, 0, 1), 10, rel, truth, group);
        TestOutcome m = TestOutcome.majority(t, new double[] {0, 0, 1});
        assertFalse(m.ranks());
        assertEquals(0.5, Protocol.measure(t, m).get("auc"), 1e-12);
        double[] cosine = new double[n];
        double[] flat = new double[n];
        for (int i = 0; i < n; i++) {
            cosine[i] = truth[i] + 0.01 * i;
            flat[i] = 0.3;
        }
        TestOutcome zeroShot = TestOutcome.binary(cosine, flat, 0.5);
        assertEquals(1.0, Protocol.measure(t, zeroShot).get("auc"), 1e-12, "a flat probability (Platt's fallback) "
                + "does not hide a score that ranks");
    }

    @Test
    void meanAndSdOverSeeds() {
        Map<String, Double> m = Protocol.meanAndSd(List.of(Map.of("kappa", 0.4), Map.of("kappa", 0.6)));
        assertEquals(0.5, m.get("kappa"), 1e-12);
        assertEquals(Math.sqrt(0.02), m.get("kappa_sd"), 1e-12);
        // three equal values: an sd of exactly 0, not the 6.8e-17 the mean's last bit left (the quickstart's majority)
        double a = 0.39833333333333332;
        Map<String, Double> same = Protocol.meanAndSd(List.of(Map.of("accuracy", a), Map.of("accuracy", a),
                Map.of("accuracy", a)));
        assertEquals(0.0, same.get("accuracy_sd"));
        // one seed: no spread was measured, so none is claimed (0.0000 read as seeds that agree)
        Map<String, Double> one = Protocol.meanAndSd(List.of(Map.of("kappa", 0.4)));
        assertEquals(0.4, one.get("kappa"));
        assertTrue(Double.isNaN(one.get("kappa_sd")), one.toString());
    }
}
