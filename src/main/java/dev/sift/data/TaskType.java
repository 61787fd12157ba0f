package dev.sift.data;

/**
 * What the label is: ordered grades, a binary relevance, or a real number; or {@code RECOMMENDATION}: implicit
 * feedback, where a sample is one positive interaction of a user with an item and the task is to rank all items.
 */
public enum TaskType {
    GRADED, BINARY, REGRESSION, RECOMMENDATION;

    /** The name used in workflows ({@code graded}, {@code binary}, {@code regression}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
