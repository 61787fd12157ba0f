package dev.sift.importance;

import dev.sift.model.TrainingDynamics;
import java.util.EnumSet;
import java.util.Set;

/**
 * Loss or EL2N averaged over the checkpoints at the end of every training epoch (the EL2N paper averages over
 * runs early in training; the average over epochs is the single-run counterpart), from the training dynamics.
 */
public abstract class EpochAverage implements ImportanceMethod {
    private final boolean el2n;

    EpochAverage(boolean el2n) {
        this.el2n = el2n;
    }

    public static EpochAverage loss() {
        return new LossAverage();
    }

    public static EpochAverage el2n() {
        return new El2nAverage();
    }

    @Override
    public String name() {
        return el2n ? "el2n_avg" : "loss_avg";
    }

    @Override
    public String meaning() {
        return el2n ? "higher = larger prediction error throughout training"
                : "higher = higher loss throughout training";
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TRAINING_DYNAMICS);
    }

    @Override
    public double[] score(ScoringInput in) {
        TrainingDynamics d = in.requireDynamics(name());
        float[][] v = el2n ? d.el2n() : d.loss();
        if (v == null) {
            throw new IllegalStateException(name() + " needs EL2N in the training dynamics (recorded since "
                    + "migration V5)");
        }
        double[] out = new double[d.samples().length];
        for (int i = 0; i < out.length; i++) {
            for (int e = 0; e < d.epochs(); e++) {
                out[i] += v[e][i] / d.epochs();
            }
        }
        return out;
    }
}
