package dev.sift.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgreementTest {
    @Test
    void spearmanIsOneForTheSameOrderMinusOneForTheReverseAndUsesMidRanks() {
        double[] a = {1, 2, 3, 4, 5};
        assertEquals(1.0, Agreement.spearman(a, new double[] {10, 20, 30, 40, 50}), 1e-12);
        assertEquals(-1.0, Agreement.spearman(a, new double[] {5, 4, 3, 2, 1}), 1e-12);
        // by hand: b's ranks 1, 2, 3.5, 5, 3.5 against 1..5, deviations from 3: products sum to 8, squares to 10
        // and 9.5: rho = 8 / sqrt(95) = 0.82078..., as scipy.stats.spearmanr gives
        assertEquals(8 / Math.sqrt(10 * 9.5), Agreement.spearman(a, new double[] {5, 6, 7, 8, 7}), 1e-12);
        assertTrue(Double.isNaN(Agreement.spearman(a, new double[] {2, 2, 2, 2, 2})), "a constant has no ranks");
        assertTrue(Double.isNaN(Agreement.spearman(new double[] {1}, new double[] {1})));
    }

    @Test
    void removalOverlapCountsTiesAtTheCutAtTheirExpectation() {
        double[] a = {9, 8, 7, 1, 0};
        assertEquals(1.0, Agreement.overlap(a, new double[] {90, 80, 70, 10, 0}, 2), 1e-12);
        assertEquals(0.0, Agreement.overlap(a, new double[] {0, 1, 2, 3, 4}, 2), 1e-12);
        assertEquals(0.5, Agreement.overlap(a, new double[] {9, 0, 8, 1, 2}, 2), 1e-12);
        // a method that ties everything knows nothing: it overlaps by m / n, what chance gives
        assertEquals(2.0 / 5, Agreement.overlap(new double[] {1, 1, 1, 1, 1}, a, 2), 1e-12);
        // a tie of two across the cut of m = 2 (9, then 5 and 5): each of the tied pair is in with probability 1/2
        double[] tied = {9, 5, 5, 1, 0};
        assertEquals((1 + 0.5) / 2, Agreement.overlap(tied, a, 2), 1e-12);
        assertTrue(Double.isNaN(Agreement.overlap(a, a, 0)));
        // a sample without a score (data_oob's, in every bag) is removed first, as the filter drops it first (a
        // review's: sorted last, it was never in the removal set)
        assertEquals(1.0, Agreement.overlap(new double[] {Double.NaN, 1, 2}, new double[] {9, 1, 2}, 1), 1e-12);
    }

    @Test
    void inTopGivesEachSampleItsChanceOfBeingAmongTheHighest() {
        double[] p = Agreement.inTop(new double[] {3, 7, 7, 7, 1}, 2);
        assertEquals(2.0 / 3, p[1], 1e-12);
        assertEquals(0.0, p[0], 1e-12);
        assertEquals(2.0, java.util.Arrays.stream(p).sum(), 1e-12, "m samples in all");
    }

    @Test
    void alikeNamesThePairsAtOrAboveTheThresholdInTheOrderGiven() {
        java.util.Map<String, double[]> m = new java.util.LinkedHashMap<>();
        m.put("loss", new double[] {1, 2, 3, 4, 5, 6});
        m.put("el2n", new double[] {10, 20, 30, 40, 60, 50}); // one swap at the top: rho = 1 - 6 * 2 / 210
        m.put("label_quality", new double[] {6, 1, 5, 2, 4, 3});
        m.put("constant", new double[] {1, 1, 1, 1, 1, 1});
        assertEquals(java.util.List.of("loss and el2n (0.943)"), Agreement.alike(m, 0.9));
        assertEquals(java.util.List.of(), Agreement.alike(m, 0.95), "0.943 is below 0.95; NaN is never alike");
    }
}
