package dev.sift.importance;

import com.google.auto.service.AutoService;

/** Loss averaged over the epoch checkpoints. */
@AutoService(ImportanceMethod.class)
public final class LossAverage extends EpochAverage {
    public LossAverage() {
        super(false);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }
}
