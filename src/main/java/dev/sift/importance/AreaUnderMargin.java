package dev.sift.importance;

import com.google.auto.service.AutoService;
import dev.sift.model.TrainingDynamics;
import java.util.EnumSet;
import java.util.Set;

/**
 * Area under the margin (Pleiss et al., 2020): the logit of the given label minus the largest other logit,
 * averaged over the training epochs. Mislabelled samples keep a low, often negative, margin.
 */
@AutoService(ImportanceMethod.class)
public final class AreaUnderMargin implements ImportanceMethod {
    @Override
    public String name() {
        return "aum";
    }

    @Override
    public String meaning() {
        return "higher = the model kept preferring the given label during training (clean)";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TRAINING_DYNAMICS);
    }

    @Override
    public String regressionNote() {
        return "the margin is between class logits";
    }

    @Override
    public double[] score(ScoringInput in) {
        TrainingDynamics d = in.requireDynamics(name());
        if (d.margin() == null) {
            throw new IllegalStateException("aum needs logit margins in the training dynamics (recorded since "
                    + "migration V3)");
        }
        double[] out = new double[d.samples().length];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int e = 0; e < d.epochs(); e++) {
                s += d.margin()[e][i];
            }
            out[i] = s / d.epochs();
        }
        return out;
    }
}
