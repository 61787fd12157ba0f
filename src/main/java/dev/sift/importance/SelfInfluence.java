package dev.sift.importance;

import com.google.auto.service.AutoService;

/**
 * Self-influence: the sample's last-layer gradient with itself, ||e_i||^2 (||h_i||^2 + 1); large for hard or
 * mislabelled samples.
 */
@AutoService(ImportanceMethod.class)
public final class SelfInfluence extends GradientSimilarity {
    public SelfInfluence() {
        super(true);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }
}
