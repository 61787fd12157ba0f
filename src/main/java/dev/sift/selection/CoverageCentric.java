package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Coverage-centric coreset selection (Zheng et al., ICLR 2023): drop the {@link #PRUNE} share at the removed end
 * of the scores (the hardest, often mislabelled samples), then spread the budget evenly over {@link #BINS}
 * equal-width score bins of the rest, drawing at random within a bin; a bin with fewer samples than its share
 * gives the remainder to the others. At high pruning rates this keeps easy and hard samples both, where keeping
 * only one end loses coverage.
 */
@AutoService(SelectionPolicy.class)
public final class CoverageCentric implements SelectionPolicy {
    /** Share of the pool pruned at the removed end before binning. */
    public static final double PRUNE = 0.1;
    public static final int BINS = 50;

    @Override
    public String name() {
        return "ccs";
    }

    @Override
    public String describe() {
        return "prune the 10% at the removed end, then the budget spread evenly over 50 score bins";
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        int n = pool.size();
        int budget = TopFraction.keptCount(n, keep);
        Integer[] ranked = pool.ranked(order);
        int candidates = Math.max(budget, n - (int) Math.floor(PRUNE * n));
        List<List<Integer>> bins = bins(pool.scores(), Arrays.asList(ranked).subList(0, candidates));
        Random r = new Random(seed);
        bins.forEach(b -> Collections.shuffle(b, r));
        List<Integer> kept = new ArrayList<>();
        int left = budget;
        // fill the smallest bins first so every bin's unused share passes on to the larger ones
        bins.sort((a, b) -> Integer.compare(a.size(), b.size()));
        for (int i = 0; i < bins.size(); i++) {
            int share = left / (bins.size() - i);
            List<Integer> b = bins.get(i);
            int take = Math.min(share, b.size());
            kept.addAll(b.subList(0, take));
            left -= take;
        }
        return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static List<List<Integer>> bins(double[] scores, List<Integer> positions) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int p : positions) {
            if (Double.isFinite(scores[p])) {
                lo = Math.min(lo, scores[p]);
                hi = Math.max(hi, scores[p]);
            }
        }
        List<List<Integer>> bins = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            bins.add(new ArrayList<>());
        }
        for (int p : positions) {
            double s = Double.isFinite(scores[p]) ? scores[p] : lo;
            int b = hi > lo ? (int) Math.min(BINS - 1, Math.floor((s - lo) / (hi - lo) * BINS)) : 0;
            bins.get(b).add(p);
        }
        bins.removeIf(List::isEmpty);
        return bins;
    }
}
