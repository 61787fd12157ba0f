package dev.sift.selection;

import com.google.auto.service.AutoService;
import dev.sift.importance.Weights;

/**
 * Importance-weighted retraining: every pool sample stays, and its loss counts with weight n w_i, where
 * w_i = (k_i - m) / sum_j (k_j - m) is Sift's normalised sample weight ({@link Weights#normalise}) of the
 * keep-ness k_i = s_i ({@code order: highest}) or -s_i ({@code order: lowest}). The weights average 1. When some
 * keep-ness is negative (losses with {@code order: lowest}), all are shifted so the sample at the remove end gets 0;
 * when all are non-negative (e.g. {@code label_quality} in [0, 1]), the weights keep their ratios, w_i proportional
 * to k_i, and nothing weighs 0 unless its keep-ness is 0. {@code filter.keep} is not used.
 * The control trains the same samples with the same weights, shuffled among them.
 */
@AutoService(SelectionPolicy.class)
public final class Weighted implements SelectionPolicy {
    @Override
    public boolean takesFraction() {
        return false;
    }

    @Override
    public String name() {
        return "weighted";
    }

    @Override
    public String describe() {
        return "every sample, its loss weighted by n w_i (Sift's normalised weight, mean 1)";
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        return Selection.all(pool.size());
    }

    @Override
    public Selection build(Pool pool, double keep, Order order, long seed) {
        int n = pool.size();
        double[] keepness = new double[n];
        for (int i = 0; i < n; i++) {
            keepness[i] = order == Order.HIGHEST ? pool.scores()[i] : -pool.scores()[i];
        }
        double[] w = Weights.normalise(keepness);
        for (int i = 0; i < n; i++) {
            w[i] *= n;
        }
        return new Selection(Selection.all(n), w, null);
    }

    @Override
    public Selection control(Pool pool, Selection chosen, long seed) {
        int[] order = Selection.permutation(chosen.weights().length, seed);
        double[] w = new double[order.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = chosen.weights()[order[i]];
        }
        return new Selection(chosen.positions(), w, null);
    }
}
