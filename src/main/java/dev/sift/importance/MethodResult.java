package dev.sift.importance;

import static java.util.Objects.requireNonNull;

/**
 * What a method returns: one score per pool sample, and for methods that flag samples, the flags with a
 * suggested label (-1 where none).
 */
public record MethodResult(double[] scores, Suggestions suggestions) {
    public MethodResult {
        requireNonNull(scores, "scores is null");
    }

    /** Flagged samples (by pool position) and the class each should probably carry. */
    public record Suggestions(boolean[] flagged, int[] suggested) {
        public int count() {
            int n = 0;
            for (boolean f : flagged) {
                n += f ? 1 : 0;
            }
            return n;
        }
    }
}
