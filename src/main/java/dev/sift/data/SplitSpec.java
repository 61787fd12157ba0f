package dev.sift.data;

/**
 * Fractions of groups (queries) held out, and the seed of the grouped split: {@code validation} picks epochs
 * (early stopping), {@code utility} is what value methods (KNN-Shapley, TracIn) measure samples against,
 * {@code test} is only measured. The rest trains.
 */
public record SplitSpec(double validation, double utility, double test, long seed) {
    /** The utility split's share of the queries when a method reads it and the workflow does not set it. */
    public static final double DEFAULT_UTILITY = 0.1;

    /** The same split with another utility share. */
    public SplitSpec withUtility(double share) {
        return new SplitSpec(validation, share, test, seed);
    }
}
