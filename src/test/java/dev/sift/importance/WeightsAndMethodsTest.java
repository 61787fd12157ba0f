package dev.sift.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.model.Predictions;
import org.junit.jupiter.api.Test;

class WeightsAndMethodsTest {
    @Test
    void weightsKeepRatiosOfNonNegativeScores() {
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, Weights.normalise(new double[] {1, 2, 3, 4}), 1e-12);
    }

    @Test
    void weightsShiftNegativeScoresAndHandleDegenerateInput() {
        assertArrayEquals(new double[] {0, 1.0 / 3, 2.0 / 3}, Weights.normalise(new double[] {-1, 0, 1}), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, Weights.normalise(new double[] {0, 0}), 1e-12);
        assertArrayEquals(new double[] {0, 1}, Weights.normalise(new double[] {Double.NaN, 2}), 1e-12);
    }

    private static ScoringInput twoSamples() {
        float[][] probs = {{0.7f, 0.2f, 0.1f}, {0.25f, 0.25f, 0.5f}};
        float[][] hidden = {{1f, 2f}, {0f, 3f}};
        return new ScoringInput(new Predictions(probs, hidden, false), new int[] {0, 1}, new float[] {0, 1});
    }

    @Test
    void lossAndEl2nMatchTheirClosedForms() {
        ScoringInput in = twoSamples();
        assertArrayEquals(new double[] {-Math.log(0.7f), -Math.log(0.25f)}, new PerSampleLoss().score(in), 1e-6);
        double e0 = Math.sqrt(0.3 * 0.3 + 0.2 * 0.2 + 0.1 * 0.1);
        double e1 = Math.sqrt(0.25 * 0.25 + 0.75 * 0.75 + 0.5 * 0.5);
        assertArrayEquals(new double[] {e0, e1}, new El2n().score(in), 1e-6);
    }

    @Test
    void lastLayerGradNormIsErrorNormTimesAugmentedActivationNorm() {
        ScoringInput in = twoSamples();
        double[] g = new LastLayerGradNorm().score(in);
        double e0 = Math.sqrt(0.3 * 0.3 + 0.2 * 0.2 + 0.1 * 0.1);
        assertEquals(e0 * Math.sqrt(1 + 4 + 1), g[0], 1e-6);
        double e1 = Math.sqrt(0.25 * 0.25 + 0.75 * 0.75 + 0.5 * 0.5);
        assertEquals(e1 * Math.sqrt(0 + 9 + 1), g[1], 1e-6);
    }
}
