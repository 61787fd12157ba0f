package dev.sift.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.model.TrainingDynamics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataValuationTest {
    /** Utility of Jia et al.: share of the K nearest points of S (to x) that carry x's label; 0 for empty S. */
    private static double utility(List<Integer> s, float[][] train, int[] labels, float[] x, int y, int k) {
        List<Integer> sorted = new ArrayList<>(s);
        sorted.sort((a, b) -> Double.compare(dist(train[a], x), dist(train[b], x)));
        double u = 0;
        for (int i = 0; i < Math.min(k, sorted.size()); i++) {
            u += labels[sorted.get(i)] == y ? 1 : 0;
        }
        return u / k;
    }

    private static double dist(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return d;
    }

    private static void permutations(int[] a, int from, List<int[]> out) {
        if (from == a.length) {
            out.add(a.clone());
            return;
        }
        for (int i = from; i < a.length; i++) {
            int t = a[from];
            a[from] = a[i];
            a[i] = t;
            permutations(a, from + 1, out);
            a[i] = a[from];
            a[from] = t;
        }
    }

    @Test
    void knnShapleyEqualsShapleyByEnumeratingAllPermutationsOfSevenPoints() {
        Random r = new Random(4);
        int n = 7;
        float[][] train = new float[n][3];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                train[i][j] = (float) r.nextGaussian();
            }
            labels[i] = r.nextInt(3);
        }
        float[][] valid = new float[4][3];
        int[] validLabels = new int[4];
        for (int v = 0; v < 4; v++) {
            for (int j = 0; j < 3; j++) {
                valid[v][j] = (float) r.nextGaussian();
            }
            validLabels[v] = r.nextInt(3);
        }
        List<int[]> perms = new ArrayList<>();
        permutations(new int[] {0, 1, 2, 3, 4, 5, 6}, 0, perms);
        assertEquals(5040, perms.size());
        for (int k : new int[] {1, 3, 10}) {
            double[] exact = new double[n];
            for (int v = 0; v < valid.length; v++) {
                for (int[] p : perms) {
                    List<Integer> prefix = new ArrayList<>();
                    double before = 0;
                    for (int i : p) {
                        prefix.add(i);
                        double after = utility(prefix, train, labels, valid[v], validLabels[v], k);
                        exact[i] += (after - before) / perms.size() / valid.length;
                        before = after;
                    }
                }
            }
            assertArrayEquals(exact, KnnShapley.values(train, labels, valid, validLabels, k), 1e-12, "K=" + k);
        }
    }

    @Test
    void fastKnnShapleyEqualsTheReference() {
        Random r = new Random(9);
        float[][] train = new float[300][16];
        int[] labels = new int[300];
        float[][] valid = new float[70][16];
        int[] validLabels = new int[70];
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 16; j++) {
                train[i][j] = (float) r.nextGaussian();
            }
            labels[i] = r.nextInt(4);
        }
        for (int i = 0; i < 70; i++) {
            for (int j = 0; j < 16; j++) {
                valid[i][j] = (float) r.nextGaussian();
            }
            validLabels[i] = r.nextInt(4);
        }
        double[] exact = KnnShapley.values(train, labels, valid, validLabels, 5);
        assertArrayEquals(exact, KnnShapley.fast(train, labels, valid, validLabels, 5), 1e-9);
        // blocks of 3, 3, ..., 1 validation points (70 = 23 x 3 + 1), and of one point each: the same values
        assertArrayEquals(exact, KnnShapley.fast(train, labels, valid, validLabels, 5, 3 * 300 + 299), 1e-9);
        assertArrayEquals(exact, KnnShapley.fast(train, labels, valid, validLabels, 5, 1), 1e-9);
    }

    @Test
    void dataOobMatchesADirectComputationOnAFixedBootstrap() {
        // learner: the majority label of its bag (ties to the smaller label), so every prediction is known
        DataOob.Learner majority = (x, y, classes, rows) -> {
            int[] count = new int[classes];
            for (int i : rows) {
                count[y[i]]++;
            }
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (count[c] > count[best]) {
                    best = c;
                }
            }
            int label = best;
            return v -> label;
        };
        float[][] x = new float[5][1];
        int[] y = {0, 0, 1, 1, 1};
        int[][] bags = {
            {0, 0, 1, 2, 0}, // majority 0; out of bag: 3, 4 (label 1) -> wrong, wrong
            {2, 3, 4, 2, 3}, // majority 1; out of bag: 0, 1 (label 0) -> wrong, wrong
            {0, 2, 3, 3, 1}, // majority 1; out of bag: 4 (label 1) -> right
        };
        double[] s = new DataOob(majority, 3, 0).scores(x, y, 2, bags);
        assertArrayEquals(new double[] {0, 0, Double.NaN, 0, 0.5}, s, 1e-12);
        // the default learner (gradient descent) separates two clean clusters: out-of-bag accuracy near 1
        float[][] xs = new float[40][2];
        int[] ys = new int[40];
        Random r = new Random(1);
        for (int i = 0; i < 40; i++) {
            ys[i] = i % 2;
            xs[i][0] = (float) (ys[i] * 4 + r.nextGaussian() * 0.3);
            xs[i][1] = (float) r.nextGaussian();
        }
        double[] clean = DataOob.defaults().scores(xs, ys, 2, DataOob.bootstraps(40, 64, 3));
        double mean = 0;
        for (double v : clean) {
            org.junit.jupiter.api.Assertions.assertTrue(v >= 0.9, "oob accuracy " + v);
            mean += v / clean.length;
        }
        org.junit.jupiter.api.Assertions.assertTrue(mean >= 0.97, "mean oob accuracy " + mean);
    }

    @Test
    void areaUnderMarginAveragesTheLogitMarginOverEpochs() {
        float[][] margin = {{2f, -1f}, {4f, -3f}};
        float[][] zeros = new float[2][2];
        TrainingDynamics d = new TrainingDynamics(new int[] {0, 1}, zeros, zeros, new boolean[2][2], margin);
        var in = new ScoringInput(new dev.sift.model.Predictions(new float[2][2], new float[2][1], false),
                new int[2], new float[2], null, null, null, d);
        assertArrayEquals(new double[] {3, -2}, new AreaUnderMargin().score(in), 1e-12);
    }

    @Test
    void confidentLearningThresholdsFlagsAndSuggestsOrdinally() {
        // 3 grades; thresholds: grade 0 mean(0.8, 0.6) = 0.7, grade 1 mean(0.5, 0.1) = 0.3, grade 2 mean(0.9) = 0.9
        double[][] p = {
            {0.8, 0.1, 0.1}, // label 0, confident 0 -> clean
            {0.6, 0.3, 0.1}, // label 0, confident: 1 (0.3 >= 0.3) vs 0 (0.6 < 0.7) -> 1: flagged, suggest 1
            {0.2, 0.5, 0.3}, // label 1, confident 1 -> clean
            {0.0, 0.1, 0.9}, // label 1, confident 2 -> flagged, suggest 2
            {0.05, 0.05, 0.9}, // label 2, confident 2 -> clean
        };
        int[] y = {0, 0, 1, 1, 2};
        ConfidentLearning.Result r = ConfidentLearning.fromProbabilities(p, y, 3);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new boolean[] {false, true, false, true, false},
                r.flagged());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {-1, 1, -1, 2, -1}, r.suggested());
        // ordinal quality: expected grades 0.3, 0.5, 1.1, 1.9, 1.85 -> 1 - |E - y| / 2
        assertArrayEquals(new double[] {0.85, 0.75, 0.95, 0.55, 0.925}, r.quality(), 1e-12);
    }

    @Test
    void confidentLearningOutOfFoldFindsASwappedLabel() {
        Random r = new Random(5);
        float[][] x = new float[60][2];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            x[i][0] = (float) (y[i] * 3 + r.nextGaussian() * 0.2);
            x[i][1] = (float) r.nextGaussian() * 0.2f;
        }
        y[7] = 2; // truly grade 1
        ConfidentLearning.Result res = ConfidentLearning.defaults().analyse(x, y, 3);
        org.junit.jupiter.api.Assertions.assertTrue(res.flagged()[7]);
        assertEquals(1, res.suggested()[7]);
        double min = java.util.Arrays.stream(res.quality()).min().orElseThrow();
        assertEquals(min, res.quality()[7], 1e-12);
    }

    @Test
    void epochAveragesAndCheckpointTracinSumTheDynamics() {
        float[][] loss = {{1f, 3f}, {3f, 5f}};
        float[][] el2n = {{0.2f, 0.4f}, {0.4f, 0.8f}};
        float[][] tracin = {{0.5f, -1f}, {0.25f, -2f}};
        float[][] zeros = new float[2][2];
        TrainingDynamics d = new TrainingDynamics(new int[] {0, 1}, loss, zeros, new boolean[2][2], zeros, el2n,
                tracin);
        var in = new ScoringInput(new dev.sift.model.Predictions(new float[2][2], new float[2][1], false),
                new int[2], new float[2], null, null, null, d);
        assertArrayEquals(new double[] {2, 4}, EpochAverage.loss().score(in), 1e-6);
        assertArrayEquals(new double[] {0.3, 0.6}, EpochAverage.el2n().score(in), 1e-6);
        assertArrayEquals(new double[] {0.75, -3}, GradientSimilarity.tracin().score(in), 1e-6);
    }

    @Test
    void forgettingCountsCorrectToIncorrectTransitions() {
        boolean[][] correct = {
            {true, false, false, true},
            {false, false, true, true},
            {true, false, false, true},
            {false, false, true, true},
        };
        float[][] zeros = new float[4][4];
        TrainingDynamics d = new TrainingDynamics(new int[] {7, 8, 9, 10}, zeros, zeros, correct);
        // sample 0: T F T F -> 2 events; 1: never learned -> 4 (epochs); 2: F T F T -> 1; 3: always right -> 0
        assertArrayEquals(new double[] {2, 4, 1, 0}, ForgettingEvents.counts(d), 0);
    }

    @Test
    void cartographyIsMeanAndStandardDeviationOfTheTrueLabelProbability() {
        float[][] p = {{0.2f, 0.9f}, {0.4f, 0.9f}, {0.6f, 0.9f}};
        TrainingDynamics d = new TrainingDynamics(new int[] {0, 1}, p, p, new boolean[3][2]);
        var in = new ScoringInput(new dev.sift.model.Predictions(new float[2][1], new float[2][1], true),
                new int[2], new float[2], null, null, null, d);
        assertArrayEquals(new double[] {0.4, 0.9}, Cartography.confidence().score(in), 1e-6);
        assertArrayEquals(new double[] {Math.sqrt(0.08 / 3), 0}, Cartography.variability().score(in), 1e-6);
        // reordering follows sample indices
        assertArrayEquals(new int[] {1, 0}, d.reorder(new int[] {1, 0}).samples());
        assertEquals(0.9f, d.reorder(new int[] {1, 0}).pTrue()[0][0]);
    }
}
