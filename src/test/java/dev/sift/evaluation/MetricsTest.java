package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void ndcgOfPerfectRankingIsOne() {
        double[] rel = {3, 2, 0, 1};
        double[] score = {0.9, 0.5, 0.1, 0.3};
        assertEquals(1.0, Metrics.ndcgAtK(score, rel, new String[] {"q", "q", "q", "q"}, 10), 1e-12);
    }

    @Test
    void ndcgHandComputed() {
        // ranking by score: items with rel 0, 3, 1 -> DCG = 0 + 7/log2(3) + 1/2
        // ideal: 3, 1, 0 -> IDCG = 7 + 1/log2(3)
        double[] rel = {3, 0, 1};
        double[] score = {0.5, 0.9, 0.1};
        double dcg = 7 / LOG2_3 + 1.0 / 2;
        double idcg = 7 + 1 / LOG2_3;
        assertEquals(dcg / idcg, Metrics.ndcgAtK(score, rel, new String[] {"a", "a", "a"}, 10), 1e-12);
    }

    @Test
    void ndcgCutsAtKAndAveragesGroupsSkippingAllZero() {
        // group a: ranked rel 0, 3 -> @1: DCG 0 -> 0; group b: ranked rel 1, 0 -> 1; group c: all zero, skipped
        double[] rel = {0, 3, 1, 0, 0, 0};
        double[] score = {0.9, 0.1, 0.8, 0.2, 0.5, 0.4};
        String[] g = {"a", "a", "b", "b", "c", "c"};
        assertEquals(0.5, Metrics.ndcgAtK(score, rel, g, 1), 1e-12);
        assertTrue(Double.isNaN(Metrics.ndcgAtK(new double[] {1}, new double[] {0}, new String[] {"x"}, 5)));
    }

    @Test
    void kappaHandComputed() {
        // truth 0,0,1,1 ; pred 0,1,1,1 ; K=2: W = [[0,1],[1,0]]
        // O: (0,0)=1 (0,1)=1 (1,1)=2 -> sum W*O = 1
        // hist truth [2,2], pred [1,3]; E_01 = 2*3/4 = 1.5, E_10 = 2*1/4 = 0.5 -> sum W*E = 2
        assertEquals(0.5, Metrics.quadraticWeightedKappa(new int[] {0, 1, 1, 1}, new int[] {0, 0, 1, 1}, 2), 1e-12);
        assertEquals(1.0, Metrics.quadraticWeightedKappa(new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}, 4), 1e-12);
        // one true grade: 1 - O/E is 0 for any prediction (O = E), so it is undefined rather than a score of 0
        assertTrue(Double.isNaN(Metrics.quadraticWeightedKappa(new int[] {0, 1, 2, 3}, new int[] {2, 2, 2, 2}, 4)));
    }

    @Test
    void ndcgSkipsGroupsWithOneDistinctGradeAndCountsTheRest() {
        // group a: grades 2, 2 (one distinct grade, would be 1.0 however ranked): skipped
        // group b: ranked 0 then 1 -> DCG 1/log2(3), IDCG 1 -> 0.6309...
        double[] rel = {2, 2, 0, 1};
        double[] score = {0.1, 0.9, 0.9, 0.1};
        String[] g = {"a", "a", "b", "b"};
        assertEquals(1 / (Math.log(3) / Math.log(2)), Metrics.ndcgAtK(score, rel, g, 10), 1e-12);
        assertEquals(1, Metrics.ndcgGroups(rel, g));
    }

    @Test
    void kappaFourClassesKnownValue() {
        // computed independently (numpy, the textbook definition): quadratic weights give 19/23; linear
        // weights would give 2/3, so this fails if the weights stop being quadratic
        int[] predicted = {0, 1, 2, 3, 3, 2, 1, 0, 2, 1};
        int[] truth = {0, 1, 3, 3, 2, 2, 0, 0, 1, 1};
        assertEquals(19.0 / 23.0, Metrics.quadraticWeightedKappa(predicted, truth, 4), 1e-12);
    }

    @Test
    void kappaWeightsDistantErrorsMore() {
        int[] truth = {0, 1, 2, 3, 0, 1, 2, 3};
        double near = Metrics.quadraticWeightedKappa(new int[] {1, 1, 2, 3, 0, 1, 2, 3}, truth, 4);
        double far = Metrics.quadraticWeightedKappa(new int[] {3, 1, 2, 3, 0, 1, 2, 3}, truth, 4);
        assertTrue(near > far, near + " vs " + far);
    }

    @Test
    void accuracyAndRmse() {
        assertEquals(0.75, Metrics.accuracy(new int[] {1, 2, 3, 0}, new int[] {1, 2, 3, 3}), 1e-12);
        assertEquals(Math.sqrt((1 + 4) / 2.0), Metrics.rmse(new double[] {1, 5}, new double[] {0, 3}), 1e-12);
    }

    @Test
    void aurocAndPrecisionAtKHandComputed() {
        // positives at scores 0.9 and 0.4, negatives at 0.8, 0.3, 0.1:
        // (0.9 beats 0.8, 0.3, 0.1) = 3, (0.4 beats 0.3, 0.1) = 2 -> 5 of 6 pairs
        double[] s = {0.9, 0.8, 0.4, 0.3, 0.1};
        boolean[] p = {true, false, true, false, false};
        assertEquals(5.0 / 6, Metrics.auroc(s, p), 1e-12);
        assertEquals(0.5, Metrics.auroc(new double[] {1, 1}, new boolean[] {true, false}), 1e-12);
        assertEquals(0.5, Metrics.precisionAtK(s, p, 2), 1e-12);
        assertEquals(2.0 / 3, Metrics.precisionAtK(s, p, 3), 1e-12);
    }

    /** A NaN score had no place: it sorted above every number and tied with no other NaN, so the area was a number. */
    @Test
    void aurocOfAnUndefinedScoreIsUndefined() {
        assertTrue(Double.isNaN(Metrics.auroc(new double[] {Double.NaN, 0.2, 0.1}, new boolean[] {true, false, false})));
        assertEquals(1.0, Metrics.auroc(new double[] {Double.POSITIVE_INFINITY, 0.2, Double.NEGATIVE_INFINITY},
                new boolean[] {true, false, false}), 1e-12);
    }

    /**
     * A review's case: six samples all scored alike, two of them noisy, the two highest taken: by position the answer
     * was 0 or 1/2 depending on the row order; the expectation over the orders is 1/3, whatever the order.
     */
    @Test
    void precisionAtKCountsATieAcrossTheCutAtItsExpectation() {
        double[] flat = new double[6];
        assertEquals(1.0 / 3, Metrics.precisionAtK(flat, new boolean[] {false, false, true, false, false, true}, 2),
                1e-12);
        assertEquals(1.0 / 3, Metrics.precisionAtK(flat, new boolean[] {true, false, false, true, false, false}, 2),
                1e-12);
        // 0.9 (noisy) first, then a tie of 0.5 over four samples with one noisy: 1 + 1 x (3 - 1) / 4 = 1.5 of 3
        double[] s = {0.5, 0.9, 0.5, 0.5, 0.1, 0.5, -0.0};
        boolean[] noisy = {false, true, false, true, true, false, false};
        assertEquals(1.5 / 3, Metrics.precisionAtK(s, noisy, 3), 1e-12);
        // a tie wholly inside the first m counts whole
        assertEquals(3.0 / 6, Metrics.precisionAtK(s, noisy, 6), 1e-12);
        // 2, 2, 2 (two noisy) then 1, 1 (one noisy) across the cut at 4: 2.5 of 4; 0.0 and -0.0 tie across the cut
        // at 6 (3 + 1/2 of 6; were they apart, 0.0 would sort first and count whole: 4 of 6)
        double[] t = {1, 1, 0.0, -0.0, 2, 2, 2};
        boolean[] q = {true, false, true, false, true, true, false};
        assertEquals(2.5 / 4, Metrics.precisionAtK(t, q, 4), 1e-12);
        assertEquals(3.5 / 6, Metrics.precisionAtK(t, q, 6), 1e-12);
    }

    /** Regression labels in label units (prices): 2^3000 was infinite and every query's NDCG NaN (a probe's). */
    @Test
    void ndcgStaysFiniteForLabelsInTheThousands() {
        double[] rel = {2984, 37, 1500};
        String[] g = {"q", "q", "q"};
        assertEquals(1.0, Metrics.ndcgAtK(new double[] {3, 1, 2}, rel, g, 10), 1e-12);
        // the top label outweighs the others by 2^1484: ranked second, NDCG is its discount alone
        assertEquals(1 / (Math.log(3) / Math.log(2)), Metrics.ndcgAtK(new double[] {2, 1, 3}, rel, g, 10), 1e-12);
        // small grades give what 2^g - 1 gives written out
        double[] small = {3, 0, 1};
        double dcg = (Math.pow(2, 1) - 1) + (Math.pow(2, 3) - 1) / (Math.log(3) / Math.log(2));
        double idcg = (Math.pow(2, 3) - 1) + (Math.pow(2, 1) - 1) / (Math.log(3) / Math.log(2));
        assertEquals(dcg / idcg, Metrics.ndcgAtK(new double[] {2, 0, 3}, small, g, 10), 1e-12);
    }

    /**
     * Ties count at their expected DCG (a probe saw the majority baseline's NDCG vary over seeds: its constant score
     * was a random order per seed). Grades 2, 0, 1 all tied at k = 2: each of the two ranks gets the mean gain
     * ((4 - 1) + 0 + (2 - 1)) / 3 = 4/3; the same expectation as the mean over all six orders.
     */
    @Test
    void tiedScoresCountAtTheirExpectedDcgWhateverTheFileOrder() {
        double[] rel = {2, 0, 1};
        String[] g = {"a", "a", "a"};
        double discount2 = 1 / (Math.log(3) / Math.log(2));
        double idcg = 3 + 1 * discount2;
        double expected = (4.0 / 3) * (1 + discount2) / idcg;
        assertEquals(expected, Metrics.ndcgAtK(new double[] {0, 0, 0}, rel, g, 2), 1e-12);
        assertEquals(expected, Metrics.ndcgAtK(new double[] {0, 0, 0}, new double[] {1, 2, 0}, g, 2), 1e-12);
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        double mean = 0;
        for (int[] o : orders) {
            double[] score = new double[3];
            for (int rank = 0; rank < 3; rank++) {
                score[o[rank]] = 3 - rank;
            }
            mean += Metrics.ndcgAtK(score, rel, g, 2) / orders.length;
        }
        assertEquals(mean, expected, 1e-12);
        // a tie below the top: the untied first item is where it is; ranks 2-3 share grades 1 and 0
        double partial = (3 + 0.5 * discount2 + 0.5 / 2) / (3 + discount2);
        assertEquals(partial, Metrics.ndcgAtK(new double[] {5, 1, 1}, rel, g, 3), 1e-12);
    }
}
