package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Set;

/**
 * GraNd: the norm of each sample's loss gradient over all parameters. Needs the model itself, so the score
 * stage computes it ({@link dev.sift.model.GhostGradNorms}) and hands the values over in {@link ScoringInput}.
 */
@AutoService(ImportanceMethod.class)
public final class Grand implements ImportanceMethod {
    @Override
    public String name() {
        return "grand";
    }

    @Override
    public String meaning() {
        return "higher = the sample pulls all parameters harder";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.FULL_GRADIENTS);
    }

    @Override
    public String regressionNote() {
        return "ghost norms are implemented for the classification head only";
    }

    @Override
    public double[] score(ScoringInput in) {
        if (in.fullGradientNorms() == null) {
            throw new IllegalStateException("grand needs the hashed-bow model (ghost norms over all its parameters); "
                    + "use grad_norm for the last layer of other models");
        }
        return in.fullGradientNorms().clone();
    }
}
