package dev.sift.selection;

/**
 * Turns a pool's scores into the positions of the samples to keep. A policy describes itself and registers with
 * {@code @AutoService(SelectionPolicy.class)}; {@link SelectionPolicies} is built from those classes.
 */
public interface SelectionPolicy {
    /** Name used in {@code filter.policy}. */
    String name();

    /** What it keeps, in words. */
    String describe();

    /** Whether it needs the confident-learning flags of the pool (method {@code label_quality}). */
    default boolean needsFlags() {
        return false;
    }

    /** Whether the size of what it keeps follows {@code filter.keep} (so it can be drawn on a kept-fraction curve). */
    default boolean takesFraction() {
        return true;
    }

    /**
     * Sorted positions (into the pool) of the kept samples.
     *
     * @param keep the fraction to keep, in (0, 1] (a policy that decides the size itself may ignore it)
     * @param order which end of the scores is the kept one
     */
    int[] select(Pool pool, double keep, Order order, long seed);

    /**
     * The training set: by default the positions of {@link #select} with weight 1 and their own labels; a policy
     * that weights or relabels samples overrides this.
     */
    default Selection build(Pool pool, double keep, Order order, long seed) {
        return Selection.subset(select(pool, keep, order, seed));
    }

    /**
     * One line on why it kept what it kept, for a policy whose rules decide the size (null: nothing to add), printed
     * under the filter's "kept N of M".
     */
    default String verdict(Pool pool, Order order) {
        return null;
    }

    /**
     * The chance control trained beside {@code chosen}: by default a random subset of the pool of the same size.
     * A policy that weights or relabels defines the control that changes as much at random.
     */
    default Selection control(Pool pool, Selection chosen, long seed) {
        return Selection.subset(new RandomSubset(chosen.positions().length, seed).select(pool.size()));
    }
}
