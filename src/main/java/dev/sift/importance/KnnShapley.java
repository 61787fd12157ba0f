package dev.sift.importance;

import java.util.Arrays;

/**
 * Exact KNN-Shapley (Jia et al., 2019): the Shapley value of each training point for a K-nearest-neighbour
 * classifier whose utility on a validation point is the fraction of its K nearest training points sharing its
 * label, averaged over the validation points. For one validation point, with training points sorted by distance
 * (alpha_1 nearest) the values follow a recursion from the farthest:
 * s(alpha_N) = 1[y_alpha_N = y] / max(N, K), and
 * s(alpha_i) = s(alpha_{i+1}) + (1[y_alpha_i = y] - 1[y_alpha_{i+1} = y]) / K * min(K, i) / i.
 * O(N log N) per validation point; distances from ||x||^2 + ||v||^2 - 2 x.v over the model's last hidden
 * activations.
 */
public final class KnnShapley implements ImportanceMethod {
    private final int k;

    public KnnShapley(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "knn_shapley";
    }

    @Override
    public String meaning() {
        return "higher = more helpful to a nearest-neighbour classifier on the validation split";
    }

    @Override
    public double[] score(ScoringInput in) {
        if (in.validationHidden() == null || in.validationHidden().length == 0) {
            throw new IllegalStateException("knn_shapley needs a non-empty validation split");
        }
        return values(in.predictions().hidden(), in.classes(), in.validationHidden(), in.validationClasses(), k);
    }

    /** Mean Shapley value of each training point over the validation points. */
    public static double[] values(float[][] train, int[] trainLabels, float[][] valid, int[] validLabels, int k) {
        int n = train.length;
        double[] sum = new double[n];
        double[] trainNorm = new double[n];
        for (int i = 0; i < n; i++) {
            trainNorm[i] = dot(train[i], train[i]);
        }
        double[] dist = new double[n];
        Integer[] order = new Integer[n];
        double[] s = new double[n];
        for (int v = 0; v < valid.length; v++) {
            float[] x = valid[v];
            double xn = dot(x, x);
            for (int i = 0; i < n; i++) {
                dist[i] = trainNorm[i] + xn - 2 * dot(train[i], x);
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Double.compare(dist[a], dist[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int y = validLabels[v];
            int last = order[n - 1];
            // with fewer points than neighbours every point is always among the K nearest: divide by K
            s[n - 1] = (trainLabels[last] == y ? 1.0 : 0.0) / Math.max(n, k);
            for (int i = n - 2; i >= 0; i--) {
                int rank = i + 1; // 1-based position of order[i]
                double match = trainLabels[order[i]] == y ? 1 : 0;
                double next = trainLabels[order[i + 1]] == y ? 1 : 0;
                s[i] = s[i + 1] + (match - next) / k * Math.min(k, rank) / rank;
            }
            for (int i = 0; i < n; i++) {
                sum[order[i]] += s[i];
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= valid.length;
        }
        return sum;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }
}
