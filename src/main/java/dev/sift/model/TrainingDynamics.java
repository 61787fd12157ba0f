package dev.sift.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-sample training dynamics recorded from the training forward passes themselves (no second pass): for each
 * epoch and each training sample, the loss, the probability of the true label and whether the prediction was
 * right, the logit margin (given label minus the largest other), the EL2N, and the trainer's {@link EpochScorer}
 * value at the epoch's checkpoint weighted by the epoch's last learning rate ({@code tracin}: the workflows score
 * last-layer gradient similarity to the validation split there, TracIn's term); the last three are null when
 * not recorded. Arrays are [epoch][position in {@code samples}].
 */
public record TrainingDynamics(int[] samples, float[][] loss, float[][] pTrue, boolean[][] correct,
        float[][] margin, float[][] el2n, float[][] tracin) {
    /** Dynamics without logit margins. */
    public TrainingDynamics(int[] samples, float[][] loss, float[][] pTrue, boolean[][] correct) {
        this(samples, loss, pTrue, correct, null, null, null);
    }

    /** Dynamics without EL2N and TracIn per epoch. */
    public TrainingDynamics(int[] samples, float[][] loss, float[][] pTrue, boolean[][] correct, float[][] margin) {
        this(samples, loss, pTrue, correct, margin, null, null);
    }

    public int epochs() {
        return loss.length;
    }

    /** The dynamics of the first {@code k} epochs (all of them when there are no more than k). */
    public TrainingDynamics firstEpochs(int k) {
        if (k >= epochs()) {
            return this;
        }
        return new TrainingDynamics(samples, Arrays.copyOf(loss, k), Arrays.copyOf(pTrue, k),
                Arrays.copyOf(correct, k), margin == null ? null : Arrays.copyOf(margin, k),
                el2n == null ? null : Arrays.copyOf(el2n, k), tracin == null ? null : Arrays.copyOf(tracin, k));
    }

    /** The same dynamics in the order of {@code order} (sample indices); null when a sample is missing. */
    public TrainingDynamics reorder(int[] order) {
        Map<Integer, Integer> at = new HashMap<>();
        for (int i = 0; i < samples.length; i++) {
            at.put(samples[i], i);
        }
        int e = epochs();
        float[][] l = new float[e][order.length];
        float[][] p = new float[e][order.length];
        boolean[][] c = new boolean[e][order.length];
        float[][] mg = margin == null ? null : new float[e][order.length];
        float[][] el = el2n == null ? null : new float[e][order.length];
        float[][] tr = tracin == null ? null : new float[e][order.length];
        for (int j = 0; j < order.length; j++) {
            Integer i = at.get(order[j]);
            if (i == null) {
                return null;
            }
            for (int k = 0; k < e; k++) {
                l[k][j] = loss[k][i];
                p[k][j] = pTrue[k][i];
                c[k][j] = correct[k][i];
                if (mg != null) {
                    mg[k][j] = margin[k][i];
                }
                if (el != null) {
                    el[k][j] = el2n[k][i];
                }
                if (tr != null) {
                    tr[k][j] = tracin[k][i];
                }
            }
        }
        return new TrainingDynamics(order.clone(), l, p, c, mg, el, tr);
    }
}
