package dev.sift.data;

/** What the label is: ordered grades, a binary relevance, or a real number. */
public enum TaskType {
    GRADED, BINARY, REGRESSION;

    /** The name used in workflows ({@code graded}, {@code binary}, {@code regression}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
