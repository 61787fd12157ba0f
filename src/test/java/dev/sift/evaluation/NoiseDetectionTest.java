package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.importance.Orientation;
import org.junit.jupiter.api.Test;

class NoiseDetectionTest {
    private static final boolean[] NOISY = {true, false, true, false, false, false};

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
}
