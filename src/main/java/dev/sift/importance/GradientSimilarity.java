package dev.sift.importance;

/**
 * Influence on the validation split from last-layer gradients (TracIn at the final checkpoint, Pruthi et al.
 * 2020): the dot product of a sample's loss gradient with the summed validation loss gradients, both with
 * respect to the output layer (W, b). With e = p - onehot(y) and h the last hidden activations, the gradient is
 * e [h, 1]^T, so grad_i . grad_v = (e_i . e_v)(h_i . h_v + 1) and the score is sum over v, divided by the number
 * of validation points. Positive: a step on the sample also lowers the validation loss. {@code self} instead
 * gives self-influence grad_i . grad_i = ||e_i||^2 (||h_i||^2 + 1).
 */
public final class GradientSimilarity implements ImportanceMethod {
    private final boolean self;

    private GradientSimilarity(boolean self) {
        this.self = self;
    }

    public static GradientSimilarity tracin() {
        return new GradientSimilarity(false);
    }

    public static GradientSimilarity selfInfluence() {
        return new GradientSimilarity(true);
    }

    @Override
    public String name() {
        return self ? "self_influence" : "tracin";
    }

    @Override
    public String meaning() {
        return self ? "higher = the sample's own gradient is larger (hard, or mislabelled)"
                : "higher = training on the sample lowers the validation loss more (helpful)";
    }

    @Override
    public double[] score(ScoringInput in) {
        int n = in.size();
        double[] out = new double[n];
        if (self) {
            for (int i = 0; i < n; i++) {
                double e2 = 0;
                for (double e : in.error(i)) {
                    e2 += e * e;
                }
                out[i] = e2 * (dot(in.predictions().hidden()[i], in.predictions().hidden()[i]) + 1);
            }
            return out;
        }
        float[][] vh = in.validationHidden();
        if (vh == null || vh.length == 0 || in.validationProbs() == null) {
            throw new IllegalStateException("tracin needs a non-empty validation split");
        }
        int k = in.validationProbs()[0].length;
        // sum over v of e_v (h_v . h_i + 1) = E^T (H_v h_i) + sum_v e_v: precompute E^T H_v [k, d] and sum_v e_v
        int d = vh[0].length;
        double[][] eh = new double[k][d];
        double[] esum = new double[k];
        for (int v = 0; v < vh.length; v++) {
            double[] e = new double[k];
            for (int c = 0; c < k; c++) {
                e[c] = (double) in.validationProbs()[v][c] - (c == in.validationClasses()[v] ? 1 : 0);
                esum[c] += e[c];
                for (int j = 0; j < d; j++) {
                    eh[c][j] += e[c] * vh[v][j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double[] ei = in.error(i);
            float[] hi = in.predictions().hidden()[i];
            double s = 0;
            for (int c = 0; c < k; c++) {
                double g = esum[c];
                for (int j = 0; j < d; j++) {
                    g += eh[c][j] * hi[j];
                }
                s += ei[c] * g;
            }
            // a gradient step moves along -grad_i; the validation loss falls when grad_i . grad_val > 0
            out[i] = s / vh.length;
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
