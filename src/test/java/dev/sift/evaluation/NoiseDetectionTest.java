package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.importance.Orientation;
import org.junit.jupiter.api.Test;

class NoiseDetectionTest {
    private static final boolean[] NOISY = {true, false, true, false, false, false};
    private static final boolean[] NOISY_3 = {true, false, false};

    @Test
    void perfectRankingScoresOne() {
        NoiseDetection d = NoiseDetection.of(new double[] {9, 1, 8, 2, 3, 0}, NOISY);
        assertEquals(1.0, d.auroc(), 1e-12);
        assertEquals(1.0, d.auprc(), 1e-12);
        assertEquals(1.0, d.f1(), 1e-12);
        assertEquals(2, d.noisy());
    }

    @Test
    void reversedRankingScoresZeroAuroc() {
        NoiseDetection d = NoiseDetection.of(new double[] {0, 5, 1, 6, 7, 8}, NOISY);
        assertEquals(0.0, d.auroc(), 1e-12);
        assertEquals(0.0, d.f1(), 1e-12);
        // the noisy ones at ranks 5 and 6: AP = (1/2)(1/5) + (1/2)(2/6)
        assertEquals(0.5 * (1.0 / 5) + 0.5 * (2.0 / 6), d.auprc(), 1e-12);
    }

    @Test
    void handCheckedMixedRankingAndTies() {
        // ranking 9(noisy) 7(clean) 5(noisy) 3 2 1: AUROC = (4 + 3) / 8, AP = (1/2)(1) + (1/2)(2/3), F1@2 = 1/2
        NoiseDetection d = NoiseDetection.of(new double[] {9, 7, 5, 3, 2, 1}, NOISY);
        assertEquals(7.0 / 8, d.auroc(), 1e-12);
        assertEquals(0.5 + 0.5 * 2.0 / 3, d.auprc(), 1e-12);
        assertEquals(0.5, d.f1(), 1e-12);
        // all tied: AUROC 0.5, AP = the noisy share, one threshold
        NoiseDetection tied = NoiseDetection.of(new double[6], NOISY);
        assertEquals(0.5, tied.auroc(), 1e-12);
        assertEquals(2.0 / 6, tied.auprc(), 1e-12);
    }

    @Test
    void higherIsKeepMethodsAreNegatedSoTheRemoveEndComesFirst() {
        double[] keepScores = {0, 5, 1, 6, 7, 8}; // clean samples score high: a perfect "keep" ranking
        NoiseDetection d = NoiseDetection.of(Orientation.HIGHER_IS_KEEP.toRemove(keepScores), NOISY);
        assertEquals(1.0, d.auroc(), 1e-12);
        double[] removeScores = {9, 1, 8, 2, 3, 0};
        assertEquals(1.0, NoiseDetection.of(Orientation.HIGHER_IS_REMOVE.toRemove(removeScores), NOISY).auroc());
    }

    @Test
    void withoutBothClassesEverythingIsNaN() {
        NoiseDetection d = NoiseDetection.of(new double[] {1, 2}, new boolean[] {false, false});
        assertTrue(Double.isNaN(d.auroc()) && Double.isNaN(d.auprc()) && Double.isNaN(d.f1()));
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void nanScoresEndAtTheCleanEndAndNeverHang() {
        NoiseDetection d = NoiseDetection.of(new double[] {0.9, Double.NaN, 0.8, Double.NaN, 0.1},
                new boolean[] {true, false, true, false, false});
        assertEquals(1.0, d.auroc(), 1e-12);
        assertEquals(1.0, d.auprc(), 1e-12);
        assertEquals(1.0, d.f1(), 1e-12);
        NoiseDetection worst = NoiseDetection.of(new double[] {Double.NaN, 0.5, Double.NaN},
                new boolean[] {true, false, true});
        assertEquals(0.0, worst.auroc(), 1e-12);
    }

    @Test
    void withinLabelAurocIsEachLabelsAurocWeightedByItsNoisySamples() {
        double[] labels = {3, 3, 3, 4, 4, 4, 1, 1, 1};
        boolean[] noisy = {true, false, false, true, false, false, true, true, false};
        // label 3: its noisy sample on top (1.0); label 4: at the bottom (0.0); label 1: both noisy above (1.0)
        NoiseDetection d = NoiseDetection.of(new double[] {9, 1, 2, 0, 5, 6, 7, 8, 3}, noisy, labels);
        assertEquals((1 * 1.0 + 1 * 0.0 + 2 * 1.0) / 4, d.aurocWithinLabel(), 1e-12);
        assertTrue(Double.isNaN(NoiseDetection.of(new double[] {9, 1, 2}, NOISY_3, null).aurocWithinLabel()),
                "no labels, no within-label AUROC");
        // every label all clean or all noisy: nothing to rank within a label
        assertTrue(Double.isNaN(NoiseDetection.of(new double[] {1, 2, 3}, NOISY_3, new double[] {1, 2, 2})
                .aurocWithinLabel()));
    }

    @Test
    void labelOnlyBaselineScoresEachLabelsNoisyShare() {
        double[] labels = {3, 3, 3, 3, 4, 4, 4, 4, 2, 2};
        boolean[] noisy = {true, true, false, false, true, false, false, false, false, false};
        double[] s = NoiseDetection.labelOnly(labels, noisy);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0, 0}, s, 1e-12);
        NoiseDetection d = NoiseDetection.of(s, noisy, labels);
        // noisy at 0.5, 0.5, 0.25 against clean at 0.5 x2, 0.25 x3, 0 x2: (6 + 6 + 3.5) / 21, ties half
        assertEquals(15.5 / 21, d.auroc(), 1e-12);
        // the top 3 fall in the tie at 0.5 (4 samples, 2 noisy): 2 x 3/4 = 1.5 of 3 expected, whatever the row order
        // (by position it was 2 of 3 here, and 0 of 3 with the noisy rows last)
        assertEquals(0.5, d.f1(), 1e-12);
        assertEquals(0.5, d.aurocWithinLabel(), 1e-12); // one score per label: chance within every label
    }
}
