package dev.sift.importance;

import com.google.auto.service.AutoService;

/**
 * Cartography's confidence: the mean probability of the given label over epochs; low marks hard or mislabelled
 * samples.
 */
@AutoService(ImportanceMethod.class)
public final class Confidence extends Cartography {
    public Confidence() {
        super(false);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }
}
