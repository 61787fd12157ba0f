package dev.sift.importance;

import com.google.auto.service.AutoService;

/**
 * Cartography's variability: how much the probability of the given label moved over epochs. High marks ambiguous
 * samples, which Swayamdipta et al. found the most useful to train on; mislabelled samples have low variability
 * (with low confidence), so ordering by variability alone does not find noise.
 */
@AutoService(ImportanceMethod.class)
public final class Variability extends Cartography {
    public Variability() {
        super(true);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }
}
