package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Set;

/**
 * Gradient alignment, the sample weight of Sift's design: a_i = (dL/dtheta) . (dM_theta(x_i)/dtheta), the gradient
 * g of the mean training loss over the pool against the gradient of the model's scalar ranking score M on sample
 * i (expected grade, positive-class probability, or the prediction for regression), over every trainable
 * parameter. Needs the model itself, so the score stage computes it ({@link dev.sift.model.OutputAlignment}: one
 * backward pass for g, then a central difference along g for all samples at once) and hands the values over in
 * {@link ScoringInput}.
 *
 * <p>Sign: a gradient step on the training loss, theta - lr g, changes M(x_i) by -lr a_i, so a_i &gt; 0 means
 * training on the pool pushes sample i's ranking score down, a_i &lt; 0 that it pushes it up. The score is a_i
 * itself and its orientation is higher = keep, because the design defines the weight as a_i: with that
 * orientation the stored weight is a_i / sum_j a_j whenever no alignment is negative, and otherwise the
 * alignments shifted by the most negative one ({@link Weights}), so the weight grows with a_i everywhere.
 */
@AutoService(ImportanceMethod.class)
public final class GradientAlignment implements ImportanceMethod {
    @Override
    public String name() {
        return "gradient_alignment";
    }

    @Override
    public String meaning() {
        return "higher = a training step on the whole pool moves the sample's ranking score down harder "
                + "(g . dM/dtheta, the design's sample weight)";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.OUTPUT_ALIGNMENT);
    }

    @Override
    public double[] score(ScoringInput in) {
        if (in.outputAlignments() == null) {
            throw new IllegalStateException("gradient_alignment needs the output alignments of the scoring model "
                    + "(computed by the score stage)");
        }
        return in.outputAlignments().clone();
    }
}
