package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Set;

/**
 * TracIn on the last layer: gradient similarity to the held-out split, over the epoch checkpoints; higher =
 * helpful.
 */
@AutoService(ImportanceMethod.class)
public final class TracIn extends GradientSimilarity {
    public TracIn() {
        super(false);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.UTILITY_SPLIT);
    }

    @Override
    public String regressionNote() {
        return "its checkpoint gradients are recorded for class outputs; the regression residual is not recorded yet";
    }
}
