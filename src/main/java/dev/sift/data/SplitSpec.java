package dev.sift.data;

/** Fractions of groups (queries) held out for validation and test, and the seed of the grouped split. */
public record SplitSpec(double validation, double test, long seed) {
}
