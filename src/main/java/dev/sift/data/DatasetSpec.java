package dev.sift.data;

/**
 * Where the data comes from: a local path or s3:// URI, or a generated synthetic shop.
 *
 * @param path absolute local path or s3:// URI; null when generated
 * @param generate synthetic data parameters; null when read from a path
 */
public record DatasetSpec(String path, Generate generate, String format, char separator, Columns columns) {
    public boolean isGenerated() {
        return generate != null;
    }

    /** Synthetic data parameters ({@code sift data generate}). */
    public record Generate(int rows, double noise, long seed) {
    }

    /** Column names in the source; optional ones are null when not mapped. */
    public record Columns(String query, String title, String description, String label, String group,
            String userId, String noiseFlag) {
    }
}
