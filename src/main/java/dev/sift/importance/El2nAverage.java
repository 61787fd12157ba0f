package dev.sift.importance;

import com.google.auto.service.AutoService;

/** EL2N averaged over the epoch checkpoints. */
@AutoService(ImportanceMethod.class)
public final class El2nAverage extends EpochAverage {
    public El2nAverage() {
        super(true);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }
}
