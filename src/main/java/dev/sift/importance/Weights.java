package dev.sift.importance;

/** Normalised sample weights: w_i >= 0 and sum w_i = 1, derived the same way for every method. */
public final class Weights {
    private Weights() {
    }

    /**
     * w_i = (s_i - m) / sum_j (s_j - m) with m = min(0, min_j s_j): non-negative scores keep their ratios,
     * negative ones are shifted so the smallest gets weight 0. All-equal (or all-zero) scores give uniform
     * weights; non-finite scores get weight 0.
     */
    public static double[] normalise(double[] scores) {
        int n = scores.length;
        double[] w = new double[n];
        if (n == 0) {
            return w;
        }
        double min = 0;
        for (double s : scores) {
            if (Double.isFinite(s)) {
                min = Math.min(min, s);
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Double.isFinite(scores[i]) ? scores[i] - min : 0;
            sum += w[i];
        }
        if (!(sum > 0)) {
            java.util.Arrays.fill(w, 1.0 / n);
            return w;
        }
        for (int i = 0; i < n; i++) {
            w[i] /= sum;
        }
        return w;
    }
}
