package dev.sift.data;

/**
 * Where the data comes from: a local path or s3:// URI, or a generated synthetic shop.
 *
 * @param path absolute local path or s3:// URI; null when generated
 * @param generate synthetic data parameters; null when read from a path
 * @param format csv, jsonl or parquet (gzip and Parquet are also recognised by their first bytes)
 * @param noise label noise injected into the training split after the split ({@code dataset.noise}); null for none
 * @param encoding how the source's bytes become text ({@code dataset.encoding}, default UTF-8)
 * @param header whether a CSV source starts with a header row; without one, columns are 0-based indexes
 * @param items a second file joined by item key that supplies the product text; null for none
 * @param given the validation and test files of a split the data comes with ({@code path} is then the training
 *        file); null when Sift splits by query
 */
public record DatasetSpec(String path, Generate generate, String format, char separator, Columns columns,
        LabelNoise.Spec noise, Encoding encoding, boolean header, Items items, Given given) {
    /** A dataset that Sift splits by query. */
    public DatasetSpec(String path, Generate generate, String format, char separator, Columns columns,
            LabelNoise.Spec noise, Encoding encoding, boolean header, Items items) {
        this(path, generate, format, separator, columns, noise, encoding, header, items, null);
    }

    /** A dataset without injected noise. */
    public DatasetSpec(String path, Generate generate, String format, char separator, Columns columns) {
        this(path, generate, format, separator, columns, null);
    }

    /** A UTF-8 dataset with a header and no items file. */
    public DatasetSpec(String path, Generate generate, String format, char separator, Columns columns,
            LabelNoise.Spec noise) {
        this(path, generate, format, separator, columns, noise, Encoding.UTF_8, true, null);
    }

    /** The same dataset with other injected noise (null for none). */
    public DatasetSpec withNoise(LabelNoise.Spec newNoise) {
        return new DatasetSpec(path, generate, format, separator, columns, newNoise, encoding, header, items, given);
    }

    /** The same dataset read with another encoding, header choice and items file. */
    public DatasetSpec withShape(Encoding newEncoding, boolean newHeader, Items newItems) {
        return new DatasetSpec(path, generate, format, separator, columns, noise, newEncoding, newHeader, newItems,
                given);
    }

    public boolean isGenerated() {
        return generate != null;
    }

    /**
     * A split that comes with the data ({@code dataset.validation}, {@code dataset.utility} and {@code dataset.test};
     * any may be null, but a validation file comes with a test file): every row of the validation file picks epochs,
     * every row of the utility file is what {@code knn_shapley} and {@code tracin} value samples against (a curated
     * set, say, whose labels are cleaner than the training file's), every row of the test file is only measured, and
     * {@code dataset.path} trains (minus what {@code split.validation}, {@code split.utility} and {@code split.test}
     * draw from it by query where no file gives those splits). {@code readings}: the files read in another format or
     * with another separator than the training file ({@link Reading}); the others are read as it is.
     */
    public record Given(String validation, String utility, String test, java.util.Map<Split, Reading> readings) {
        public Given {
            // in the splits' order, so the spec's digest (stage cache keys) is the same in every process
            readings = readings == null || readings.isEmpty() ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(readings));
        }

        /** Files read as the training file is. */
        public Given(String validation, String utility, String test) {
            this(validation, utility, test, java.util.Map.of());
        }

        /** Validation and test files, no utility file, read as the training file is. */
        public Given(String validation, String test) {
            this(validation, null, test);
        }

        /** The same files, those in {@code newReadings} read their own way. */
        public Given withReadings(java.util.Map<Split, Reading> newReadings) {
            return new Given(validation, utility, test, newReadings);
        }

        /** The file that gives {@code split}, or null (the training file is {@code dataset.path}, not here). */
        public String of(Split split) {
            return switch (split) {
                case VALIDATION -> validation;
                case UTILITY -> utility;
                case TEST -> test;
                case TRAIN -> null;
            };
        }

        /** The splits a file gives, in reading order: validation, utility, test. */
        public java.util.List<Split> splits() {
            return java.util.stream.Stream.of(Split.VALIDATION, Split.UTILITY, Split.TEST).filter(s -> of(s) != null)
                    .toList();
        }

        /** Every file of the data in reading order: {@code training} (dataset.path) first, then {@link #splits}'. */
        public java.util.Map<Split, String> files(String training) {
            java.util.Map<Split, String> out = new java.util.LinkedHashMap<>();
            out.put(Split.TRAIN, training);
            splits().forEach(s -> out.put(s, of(s)));
            return out;
        }
    }

    /**
     * How a given file is read where it differs from the training file: its own name said another format or separator
     * ({@code test.jsonl} beside {@code train.csv}, {@code test.tsv} beside {@code train.csv}) and the workflow set
     * neither {@code dataset.format} nor {@code dataset.separator} (a setting applies to every file of the data).
     */
    public record Reading(String format, char separator) {
    }

    /** The format {@code split}'s file is read in: the training file's, or a given file's own ({@link Reading}). */
    public String formatOf(Split split) {
        Reading r = given == null ? null : given.readings().get(split);
        return r == null ? format : r.format();
    }

    /** The separator of {@code split}'s CSV file: the training file's, or a given file's own. */
    public char separatorOf(Split split) {
        Reading r = given == null ? null : given.readings().get(split);
        return r == null ? separator : r.separator();
    }

    /**
     * The format a file's name says ({@code .csv}, {@code .tsv}, {@code .jsonl}, {@code .json}, {@code .ndjson},
     * {@code .parquet}, {@code .pq}, each also with {@code .gz}), or null when it says none.
     */
    public static String formatNamed(String path) {
        String p = unzippedName(path);
        return p.endsWith(".jsonl") || p.endsWith(".json") || p.endsWith(".ndjson") ? "jsonl"
                : p.endsWith(".parquet") || p.endsWith(".pq") ? "parquet"
                : p.endsWith(".csv") || p.endsWith(".tsv") ? "csv" : null;
    }

    /** The separator a file's name says: a tab for {@code .tsv}, a comma for {@code .csv} (or gzipped); else null. */
    public static Character separatorNamed(String path) {
        String p = unzippedName(path);
        return p.endsWith(".tsv") ? Character.valueOf('\t') : p.endsWith(".csv") ? Character.valueOf(',') : null;
    }

    /** The name in lower case without a {@code .gz} suffix ("" for none). */
    private static String unzippedName(String path) {
        String p = path == null ? "" : path.toLowerCase(java.util.Locale.ROOT);
        return p.endsWith(".gz") ? p.substring(0, p.length() - 3) : p;
    }

    /** Synthetic data parameters ({@code sift data generate}). */
    public record Generate(int rows, double noise, long seed) {
    }

    /**
     * Column names in the source (0-based indexes, as text, without a header); optional ones are null when not
     * mapped. {@code title} may be null when an items file supplies it; {@code item} is the key into that file.
     * {@code time} orders a user's interactions (recommendation: the split leaves each user's last ones out).
     */
    public record Columns(String query, String title, String description, String label, String group,
            String userId, String noiseFlag, String item, String time) {
        /** Columns without a time. */
        public Columns(String query, String title, String description, String label, String group, String userId,
                String noiseFlag, String item) {
            this(query, title, description, label, group, userId, noiseFlag, item, null);
        }

        /** Columns without an item key. */
        public Columns(String query, String title, String description, String label, String group, String userId,
                String noiseFlag) {
            this(query, title, description, label, group, userId, noiseFlag, null);
        }

        /** Every mapped column, in a fixed order. */
        public java.util.List<String> mapped() {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String c : new String[] {query, title, description, label, group, userId, noiseFlag, item, time}) {
                if (c != null && !out.contains(c)) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /**
     * {@code dataset.items}: a second file (CSV, JSON Lines or Parquet, same rules as the dataset) keyed by
     * {@code key}, whose {@code text} column fills the title of rows that carry only the item key, and whose
     * optional {@code description} column fills an empty description.
     */
    public record Items(String path, String format, char separator, boolean header, Encoding encoding, String key,
            String text, String description) {
        /** The columns read from the items file. */
        public java.util.List<String> wanted() {
            return description == null ? java.util.List.of(key, text) : java.util.List.of(key, text, description);
        }
    }
}
