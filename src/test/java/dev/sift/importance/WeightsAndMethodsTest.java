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

    /** The alignments pass through unchanged; higher = keep, so weights grow with the alignment. */
    @Test
    void gradientAlignmentIsTheAlignmentWithWeightsGrowingWithIt() {
        ScoringInput base = twoSamples();
        ScoringInput in = new ScoringInput(base.predictions(), base.classes(), base.values(), null, null, null, null,
                null, new double[] {-0.5, 2.0});
        GradientAlignment m = new GradientAlignment();
        assertArrayEquals(new double[] {-0.5, 2.0}, m.score(in), 0.0);
        assertEquals(Orientation.HIGHER_IS_KEEP, m.orientation());
        assertArrayEquals(new double[] {0, 1}, Weights.normalise(m.orientation().toKeep(m.score(in))), 1e-12);
        assertEquals(java.util.Set.of(Need.OUTPUT_ALIGNMENT), m.needs());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> m.score(base));
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

    /** Brute force: build every last-layer gradient (e [h, 1]^T) and take dot products. */
    @Test
    void tracinAndSelfInfluenceEqualExplicitGradientDotProducts() {
        java.util.Random r = new java.util.Random(2);
        int n = 6;
        int m = 4;
        int k = 3;
        int d = 5;
        float[][] probs = new float[n][k];
        float[][] hidden = new float[n][d];
        int[] cls = new int[n];
        float[][] vprobs = new float[m][k];
        float[][] vhidden = new float[m][d];
        int[] vcls = new int[m];
        for (float[][] p : new float[][][] {probs, vprobs}) {
            for (float[] row : p) {
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    row[c] = (float) r.nextDouble();
                    sum += row[c];
                }
                for (int c = 0; c < k; c++) {
                    row[c] /= sum;
                }
            }
        }
        for (float[][] h : new float[][][] {hidden, vhidden}) {
            for (float[] row : h) {
                for (int j = 0; j < d; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
        }
        for (int i = 0; i < n; i++) {
            cls[i] = r.nextInt(k);
        }
        for (int i = 0; i < m; i++) {
            vcls[i] = r.nextInt(k);
        }
        ScoringInput in = new ScoringInput(new Predictions(probs, hidden, false), cls, new float[n], vhidden, vprobs,
                vcls, null);
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) {
            g[i] = grad(probs[i], cls[i], hidden[i]);
        }
        double[] vsum = new double[k * (d + 1)];
        for (int v = 0; v < m; v++) {
            double[] gv = grad(vprobs[v], vcls[v], vhidden[v]);
            for (int j = 0; j < vsum.length; j++) {
                vsum[j] += gv[j] / m;
            }
        }
        double[] tracin = GradientSimilarity.tracin().score(in);
        double[] self = GradientSimilarity.selfInfluence().score(in);
        for (int i = 0; i < n; i++) {
            double dot = 0;
            double sq = 0;
            for (int j = 0; j < vsum.length; j++) {
                dot += g[i][j] * vsum[j];
                sq += g[i][j] * g[i][j];
            }
            assertEquals(dot, tracin[i], 1e-9);
            assertEquals(sq, self[i], 1e-9);
        }
    }

    private static double[] grad(float[] p, int y, float[] h) {
        int k = p.length;
        int d = h.length;
        double[] g = new double[k * (d + 1)];
        for (int c = 0; c < k; c++) {
            double e = (double) p[c] - (c == y ? 1 : 0);
            for (int j = 0; j < d; j++) {
                g[c * (d + 1) + j] = e * h[j];
            }
            g[c * (d + 1) + d] = e;
        }
        return g;
    }

    @Test
    void ensembleRanksAreScaledAndTiesAveraged() {
        assertArrayEquals(new double[] {0.0, 1.0, 0.5}, RankEnsemble.ranks(new double[] {1, 9, 5}, false), 1e-12);
        assertArrayEquals(new double[] {1.0, 0.0, 0.5}, RankEnsemble.ranks(new double[] {1, 9, 5}, true), 1e-12);
        assertArrayEquals(new double[] {0.25, 0.25, 1.0}, RankEnsemble.ranks(new double[] {2, 2, 3}, false), 1e-12);
    }
}
