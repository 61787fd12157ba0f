package dev.sift.importance;

/**
 * One way to score every training sample. Every method documents its sign; all in this package score
 * "higher = harder for the model (more informative, or more likely mislabelled)".
 */
public interface ImportanceMethod {
    /** Name used in workflows and in stored scores. */
    String name();

    /** What a higher value means. */
    String meaning();

    /** One value per pool sample. */
    double[] score(ScoringInput input);
}
