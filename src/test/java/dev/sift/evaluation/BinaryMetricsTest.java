package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AUC, log loss, the best-F1 threshold and Platt scaling on hand-computed cases. */
class BinaryMetricsTest {
    private static final TaskSpec BINARY = new TaskSpec(TaskType.BINARY, 0, 1);

    @Test
    void aucCountsTiesHalf() {
        // positives at 0.8 and 0.5, negatives at 0.8, 0.5, 0.2: the 0.8 positive ties one negative (1/2) and beats
        // two (2); the 0.5 positive loses to 0.8 (0), ties 0.5 (1/2), beats 0.2 (1): 4 of 6 pairs
        double[] s = {0.8, 0.8, 0.5, 0.5, 0.2};
        boolean[] p = {true, false, true, false, false};
        assertEquals(4.0 / 6, Metrics.auroc(s, p), 1e-12);
        // every score equal: every pair a tie
        assertEquals(0.5, Metrics.auroc(new double[] {3, 3, 3}, new boolean[] {true, false, false}), 1e-12);
        assertTrue(Double.isNaN(Metrics.auroc(new double[] {1, 2}, new boolean[] {true, true})));
    }

    @Test
    void logLossIsTheMeanNegativeLogLikelihoodClipped() {
        // -(ln 0.9 + ln 0.8 + ln 0.4) / 3
        double expected = (0.10536051565782628 + 0.2231435513142097 + 0.916290731874155) / 3;
        assertEquals(expected, Metrics.logLoss(new double[] {0.9, 0.2, 0.6}, new boolean[] {true, false, false}),
                1e-12);
        // a certain mistake costs -ln(1e-15) = 34.538..., not infinity
        assertEquals(34.538776394910684, Metrics.logLoss(new double[] {1.0}, new boolean[] {false}), 1e-6);
        assertEquals(Math.log(2), Metrics.logLoss(new double[] {0.5, 0.5}, new boolean[] {true, false}), 1e-12);
    }

    @Test
    void bestF1ThresholdIsTheCutWithTheHighestF1() {
        // P P N P N N by score, 3 positives: F1 at t = 0.9: 2/4, 0.8: 2/5, 0.7: 4/6, 0.6: 6/7, 0.3: 6/8, 0.2: 6/9
        double[] s = {0.9, 0.8, 0.7, 0.6, 0.3, 0.2};
        boolean[] p = {true, false, true, true, false, false};
        assertEquals(0.6, Metrics.bestF1Threshold(s, p));
        int[] predicted = new int[s.length];
        int[] truth = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            predicted[i] = s[i] >= 0.6 ? 1 : 0;
            truth[i] = p[i] ? 1 : 0;
        }
        Metrics.Confusion c = Metrics.Confusion.of(predicted, truth);
        assertEquals(new Metrics.Confusion(3, 1, 0), c);
        assertEquals(6.0 / 7, c.f1(), 1e-12);
        assertEquals(0.75, c.precision(), 1e-12);
        assertEquals(1.0, c.recall(), 1e-12);
    }

    @Test
    void bestF1ThresholdCutsOnlyBetweenDistinctScoresAndPrefersTheHigherOnATie() {
        // tied scores are predicted alike: a cut inside the 0.5 pair is impossible; t = 0.5: 2/3, t = 0.4: 2/4
        assertEquals(0.5, Metrics.bestF1Threshold(new double[] {0.5, 0.5, 0.4}, new boolean[] {true, false, false}));
        // P N N P: t = 0.9 gives 2/3 (tp 1, fn 1), t = 0.6 gives 4/6 = 2/3 (tp 2, fp 2): the higher threshold wins
        assertEquals(0.9, Metrics.bestF1Threshold(new double[] {0.9, 0.8, 0.7, 0.6},
                new boolean[] {true, false, false, true}));
        // no positives: predict none
        assertEquals(Double.POSITIVE_INFINITY, Metrics.bestF1Threshold(new double[] {0.2, 0.1},
                new boolean[] {false, false}));
    }

    @Test
    void confusionWithNothingPredictedPositiveScoresZero() {
        Metrics.Confusion c = Metrics.Confusion.of(new int[] {0, 0, 0}, new int[] {1, 0, 0});
        assertEquals(0.0, c.precision());
        assertEquals(0.0, c.recall());
        assertEquals(0.0, c.f1());
        Metrics.Confusion none = Metrics.Confusion.of(new int[] {1, 0, 0}, new int[] {0, 0, 0});
        assertEquals(0.0, none.precision(), "a predicted positive where there is none");
        assertTrue(Double.isNaN(none.recall()) && Double.isNaN(none.f1()), "no positive label: nothing to recall");
    }

    @Test
    void binaryOutcomesReportAucLogLossAndF1AtTheirThreshold() {
        double[] rel = {1, 0, 1, 1, 0, 0};
        int[] truth = {1, 0, 1, 1, 0, 0};
        TestSet t = new TestSet(BINARY, 10, rel, truth, new String[] {"a", "a", "b", "b", "c", "c"});
        double[] prob = {0.9, 0.8, 0.7, 0.6, 0.3, 0.2};
        Map<String, Double> m = Protocol.measure(t, TestOutcome.binary(prob, prob, 0.6));
        assertEquals(6.0 / 7, m.get("f1"), 1e-12);
        assertEquals(0.75, m.get("precision"), 1e-12);
        assertEquals(1.0, m.get("recall"), 1e-12);
        assertEquals(5.0 / 6, m.get("accuracy"), 1e-12);
        // 7 of 9 positive-negative pairs ordered right (the negative at 0.8 beats the positives at 0.7 and 0.6)
        assertEquals(7.0 / 9, m.get("auc"), 1e-12);
        double ll = -(Math.log(0.9) + Math.log(0.2) + Math.log(0.7) + Math.log(0.6) + Math.log(0.7) + Math.log(0.8))
                / 6;
        assertEquals(ll, m.get("log_loss"), 1e-12);
        assertEquals(0.6, m.get("threshold"));
        // query a: its positive ranks first; b (all positive) and c (all negative) say nothing of a ranking
        assertEquals(1.0, m.get("mrr"), 1e-12);
        assertTrue(Protocol.names(t).containsAll(java.util.List.of("mrr", "auc", "log_loss", "f1", "precision",
                "recall")));
        assertTrue(Protocol.lowerIsBetter("log_loss"));
        assertFalse(Protocol.lowerIsBetter("f1"));
    }

    /** Mean reciprocal rank by hand, and its ties against every order of them. */
    @Test
    void mrrIsTheFirstPositivesReciprocalRankWithTiesAtTheirExpectation() {
        // a: positive second (1/2); b: one positive in a three-way tie, (1 + 1/2 + 1/3) / 3 = 11/18;
        // c: two positives and a negative tied after a higher negative: 2/3 at rank 2, 1/3 at rank 3;
        // d (no positive) and e (all positive) are skipped
        double[] score = {0.9, 0.5, 0.1, 0.3, 0.3, 0.3, 0.8, 0.2, 0.2, 0.2, 0.4, 0.6, 0.7, 0.1};
        boolean[] pos = {false, true, false, true, false, false, false, true, true, false, false, false, true, true};
        String[] g = {"a", "a", "a", "b", "b", "b", "c", "c", "c", "c", "d", "d", "e", "e"};
        double c = 2.0 / 3 / 2 + 1.0 / 3 / 3;
        assertEquals((0.5 + 11.0 / 18 + c) / 3, Metrics.mrr(score, pos, g), 1e-12);
        assertTrue(Double.isNaN(Metrics.mrr(new double[] {1, 2}, new boolean[] {true, true}, new String[] {"a", "a"})));
        java.util.Random r = new java.util.Random(5);
        double[] values = {0.0, -0.0, 1.0, Double.NaN}; // -0.0 ties 0.0; NaN ranks last, tied with NaN
        for (int trial = 0; trial < 300; trial++) {
            int n = 2 + r.nextInt(6);
            double[] sc = new double[n];
            boolean[] p = new boolean[n];
            String[] groups = new String[n];
            for (int i = 0; i < n; i++) {
                sc[i] = values[r.nextInt(values.length)];
                p[i] = r.nextBoolean();
                groups[i] = i < 2 ? "a" : r.nextBoolean() ? "a" : "b";
            }
            p[0] = true;
            p[1] = false;
            double a = bruteForce(sc, p, groups, "a");
            double b = bruteForce(sc, p, groups, "b");
            double expected = Double.isNaN(b) ? a : (a + b) / 2;
            assertEquals(expected, Metrics.mrr(sc, p, groups), 1e-12, trial + "");
        }
    }

    /**
     * Group {@code g}'s mean over every order of its items that ranks them by score (ties broken every way, NaN last)
     * of 1 / the first positive's rank; NaN when the group has no positive or no negative.
     */
    private static double bruteForce(double[] allScores, boolean[] allPositive, String[] group, String g) {
        int[] mine = java.util.stream.IntStream.range(0, group.length).filter(i -> group[i].equals(g)).toArray();
        int n = mine.length;
        double[] key = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            double x = allScores[mine[i]];
            key[i] = Double.isNaN(x) ? Double.NEGATIVE_INFINITY : x + 0.0; // -0.0 + 0.0 is 0.0
            positive[i] = allPositive[mine[i]];
        }
        boolean both = false;
        for (boolean x : positive) {
            both |= x != positive[0];
        }
        if (!both) {
            return Double.NaN;
        }
        java.util.List<int[]> orders = new java.util.ArrayList<>();
        permute(new int[n], new boolean[n], 0, orders);
        double sum = 0;
        int count = 0;
        for (int[] o : orders) {
            boolean sorted = true;
            for (int i = 1; i < n; i++) {
                sorted &= key[o[i - 1]] >= key[o[i]];
            }
            if (sorted) {
                int first = 0;
                while (!positive[o[first]]) {
                    first++;
                }
                sum += 1.0 / (first + 1);
                count++;
            }
        }
        return sum / count;
    }

    private static void permute(int[] at, boolean[] used, int k, java.util.List<int[]> out) {
        if (k == at.length) {
            out.add(at.clone());
            return;
        }
        for (int i = 0; i < at.length; i++) {
            if (!used[i]) {
                used[i] = true;
                at[k] = i;
                permute(at, used, k + 1, out);
                used[i] = false;
            }
        }
    }

    @Test
    void majorityPredictsNoMatchWithTheTrainingPriorAsItsProbability() {
        TestSet t = new TestSet(BINARY, 10, new double[] {1, 0}, new int[] {1, 0}, new String[] {"a", "a"});
        TestOutcome o = TestOutcome.majority(t, new double[] {0, 0, 0, 1});
        Map<String, Double> m = Protocol.measure(t, o);
        assertEquals(0.0, m.get("f1"));
        assertEquals(-(Math.log(0.25) + Math.log(0.75)) / 2, m.get("log_loss"), 1e-12);
        assertEquals(0.75, m.get("mrr"), 1e-12, "a random order of one match and one not: (1 + 1/2) / 2");
    }

    @Test
    void plattScalingMatchesTheShareOfPositivesAndOrdersLikeTheScore() {
        Random r = new Random(3);
        int n = 400;
        double[] x = new double[n];
        boolean[] y = new boolean[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble();
            y[i] = r.nextDouble() < x[i] * x[i];
            positives += y[i] ? 1 : 0;
        }
        double[] ab = ZeroShot.platt(x, y);
        double[] p = ZeroShot.logistic(x, ab);
        // the intercept's score equation at the maximum likelihood: the fitted probabilities sum to the positives
        assertEquals(positives, java.util.Arrays.stream(p).sum(), 1e-6);
        assertTrue(ab[0] > 0, "higher score, more likely positive");
    }
}
