package dev.sift.importance;

/**
 * GraNd: the norm of each sample's loss gradient over all parameters. Needs the model itself, so the score
 * stage computes it ({@link dev.sift.model.GhostGradNorms}) and hands the values over in {@link ScoringInput}.
 */
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
    public double[] score(ScoringInput in) {
        if (in.fullGradientNorms() == null) {
            throw new IllegalStateException("grand needs the hashed-bow model (ghost norms over all its parameters); "
                    + "use grad_norm for the last layer of other models");
        }
        return in.fullGradientNorms().clone();
    }
}
