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
 * gives the remainder to the others (round robin over the bins in random order). At high pruning rates this keeps easy and hard samples both, where keeping
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
        Integer[] ranked = pool.ranked(order, seed);
        int candidates = Math.max(budget, n - (int) Math.floor(PRUNE * n));
        List<List<Integer>> bins = bins(pool.scores(), Arrays.asList(ranked).subList(0, candidates));
        Random r = new Random(seed);
        bins.forEach(b -> Collections.shuffle(b, r));
        // round robin over the bins in a fresh random order each round: every bin gets an equal share (up to one
        // sample of rounding), and an exhausted bin's share goes to the others
        List<Integer> kept = new ArrayList<>();
        int[] next = new int[bins.size()];
        List<Integer> open = new ArrayList<>();
        for (int b = 0; b < bins.size(); b++) {
            open.add(b);
        }
        while (kept.size() < budget) {
            Collections.shuffle(open, r);
            for (int b : open) {
                if (kept.size() < budget) {
                    kept.add(bins.get(b).get(next[b]++));
                }
            }
            open.removeIf(b -> next[b] >= bins.get(b).size());
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
