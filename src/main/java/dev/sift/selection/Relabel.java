package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.Arrays;

/**
 * Keeps every pool sample and trains each one that confident learning flagged with the grade it suggests instead
 * of its own. {@code filter.keep} and the scores are not used. The control relabels as many samples, chosen at
 * random, with the same suggested grades in shuffled order (a sample drawn with its own grade keeps it): as many
 * label changes, in places chance picks.
 */
@AutoService(SelectionPolicy.class)
public final class Relabel implements SelectionPolicy {
    @Override
    public boolean takesFraction() {
        return false;
    }

    @Override
    public String name() {
        return "relabel";
    }

    @Override
    public String describe() {
        return "every sample, flagged labels replaced by the grade label_quality suggests";
    }

    @Override
    public boolean needsFlags() {
        return true;
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        return Selection.all(pool.size());
    }

    @Override
    public Selection build(Pool pool, double keep, Order order, long seed) {
        if (pool.flagged() == null || pool.suggested() == null) {
            throw new IllegalStateException("relabel needs the flags and suggestions of method label_quality");
        }
        int[] labels = new int[pool.size()];
        for (int i = 0; i < labels.length; i++) {
            int s = pool.suggested()[i];
            labels[i] = pool.flagged()[i] && s >= 0 && s != pool.grades()[i] ? s : -1;
        }
        return new Selection(Selection.all(pool.size()), null, labels);
    }

    @Override
    public Selection control(Pool pool, Selection chosen, long seed) {
        int[] suggested = Arrays.stream(chosen.labels()).filter(l -> l >= 0).toArray();
        int[] order = Selection.permutation(suggested.length, seed);
        int[] grades = new int[order.length];
        for (int i = 0; i < grades.length; i++) {
            grades[i] = suggested[order[i]];
        }
        int[] where = new RandomSubset(grades.length, seed).select(pool.size());
        int[] labels = new int[pool.size()];
        Arrays.fill(labels, -1);
        for (int k = 0; k < where.length; k++) {
            labels[where[k]] = grades[k] == pool.grades()[where[k]] ? -1 : grades[k];
        }
        return new Selection(Selection.all(pool.size()), null, labels);
    }
}
