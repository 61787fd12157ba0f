package dev.sift.data;

/**
 * Where the data comes from: a local path or s3:// URI, or a generated synthetic shop.
 *
 * @param path absolute local path or s3:// URI; null when generated
 * @param generate synthetic data parameters; null when read from a path
 * @param noise label noise injected into the training split after the split ({@code dataset.noise}); null for none
 */
public record DatasetSpec(String path, Generate generate, String format, char separator, Columns columns,
        LabelNoise.Spec noise) {
    /** A dataset without injected noise. */
    public DatasetSpec(String path, Generate generate, String format, char separator, Columns columns) {
        this(path, generate, format, separator, columns, null);
    }

    /** The same dataset with other injected noise (null for none). */
    public DatasetSpec withNoise(LabelNoise.Spec newNoise) {
        return new DatasetSpec(path, generate, format, separator, columns, newNoise);
    }

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
