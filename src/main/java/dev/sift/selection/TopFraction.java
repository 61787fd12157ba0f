package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.Arrays;

/** Keeps ceil(fraction * n) samples from the kept end of the scores; ties in a seeded random order. */
@AutoService(SelectionPolicy.class)
public final class TopFraction implements SelectionPolicy {
    public static int keptCount(int n, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        return Math.min(n, (int) Math.ceil(fraction * n - 1e-9));
    }

    @Override
    public String name() {
        return "top_fraction";
    }

    @Override
    public String describe() {
        return "the fraction filter.keep from the kept end of the scores";
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        int k = keptCount(pool.size(), keep);
        int[] kept = Arrays.stream(pool.ranked(order, seed)).limit(k).mapToInt(Integer::intValue).toArray();
        Arrays.sort(kept);
        return kept;
    }
}
