package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.stream.IntStream;

/**
 * Drops every sample confident learning flagged (its out-of-fold prediction confidently disagrees with the
 * label) and keeps the rest: the data decides the size, {@code filter.keep} does not.
 */
@AutoService(SelectionPolicy.class)
public final class DropFlagged implements SelectionPolicy {
    @Override
    public boolean takesFraction() {
        return false;
    }

    @Override
    public String name() {
        return "drop_flagged";
    }

    @Override
    public String describe() {
        return "every sample label_quality did not flag";
    }

    @Override
    public boolean needsFlags() {
        return true;
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        if (pool.flagged() == null) {
            throw new IllegalStateException("drop_flagged needs the flags of method label_quality");
        }
        return IntStream.range(0, pool.size()).filter(i -> !pool.flagged()[i]).toArray();
    }
}
