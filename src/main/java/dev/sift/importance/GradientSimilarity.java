package dev.sift.importance;

import dev.sift.model.EpochScorer;

/**
 * Influence on the utility split from last-layer gradients (TracIn, Pruthi et al. 2020), summed over the
 * checkpoints at the end of every training epoch, each weighted by the epoch's mean learning rate, when the
 * training dynamics carry them, else at the final checkpoint: the dot product of a sample's loss gradient with
 * the summed utility-split loss gradients, both with
 * respect to the output layer (W, b). With e = p - onehot(y) and h the last hidden activations, the gradient is
 * e [h, 1]^T, so grad_i . grad_v = (e_i . e_v)(h_i . h_v + 1) and the score is sum over v, divided by the number
 * of utility points. Positive: a step on the sample also lowers the utility-split loss. {@code self} instead
 * gives self-influence grad_i . grad_i = ||e_i||^2 (||h_i||^2 + 1).
 */
public abstract class GradientSimilarity implements ImportanceMethod {
    private final boolean self;

    GradientSimilarity(boolean self) {
        this.self = self;
    }

    public static GradientSimilarity tracin() {
        return new TracIn();
    }

    public static GradientSimilarity selfInfluence() {
        return new SelfInfluence();
    }

    @Override
    public String name() {
        return self ? "self_influence" : "tracin";
    }

    @Override
    public String meaning() {
        return self ? "higher = the sample's own gradient is larger (hard, or mislabelled)"
                : "higher = training on the sample lowers the utility-split loss more (helpful)";
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
        if (in.dynamics() != null && in.dynamics().tracin() != null) {
            // TracIn over checkpoints: the per-epoch values, each already weighted by that epoch's mean learning rate
            var d = in.dynamics();
            for (int i = 0; i < n; i++) {
                for (int e = 0; e < d.epochs(); e++) {
                    out[i] += d.tracin()[e][i];
                }
            }
            return out;
        }
        if (in.validationHidden() == null || in.validationHidden().length == 0 || in.validationProbs() == null) {
            throw new IllegalStateException("tracin needs a non-empty utility split (split.utility)");
        }
        return values(in.predictions().probs(), in.predictions().hidden(), in.classes(), in.validationProbs(),
                in.validationHidden(), in.validationClasses());
    }

    /** TracIn's term at one epoch checkpoint, as the trainer's per-epoch callback records it. */
    public static final EpochScorer EPOCH_TRACIN = (train, trainClasses, validation, validationClasses) -> values(
            train.probs(), train.hidden(), trainClasses, validation.probs(), validation.hidden(), validationClasses);

    /**
     * Last-layer gradient similarity of each training sample to the mean validation gradient, at one checkpoint:
     * sum over v of (e_i . e_v)(h_i . h_v + 1) / |V|, computed as e_i . (E_v^T (H_v h_i) + sum_v e_v) / |V|.
     */
    public static double[] values(float[][] probs, float[][] hidden, int[] classes, float[][] vprobs,
            float[][] vhidden, int[] vclasses) {
        int n = probs.length;
        int k = vprobs[0].length;
        int d = vhidden[0].length;
        double[][] eh = new double[k][d];
        double[] esum = new double[k];
        for (int v = 0; v < vhidden.length; v++) {
            for (int c = 0; c < k; c++) {
                double e = (double) vprobs[v][c] - (c == vclasses[v] ? 1 : 0);
                esum[c] += e;
                for (int j = 0; j < d; j++) {
                    eh[c][j] += e * vhidden[v][j];
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            float[] hi = hidden[i];
            double s = 0;
            for (int c = 0; c < k; c++) {
                double g = esum[c];
                for (int j = 0; j < d; j++) {
                    g += eh[c][j] * hi[j];
                }
                s += ((double) probs[i][c] - (c == classes[i] ? 1 : 0)) * g;
            }
            // a step moves along -grad_i; the validation loss falls when grad_i . grad_val > 0
            out[i] = s / vhidden.length;
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
