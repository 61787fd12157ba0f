package dev.sift.workflow;

import dev.sift.data.DatasetSpec;
import dev.sift.data.Encoding;
import dev.sift.data.SourceHeader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a workflow names, checked before a run is recorded ({@code validate} and {@code run}): each mapped column
 * in its CSV header or within its first row, a JSON Lines or Parquet file's shape, a given split that is the
 * training file, and the items file read whole (a broken catalogue would fail ingest after the run row is made).
 */
final class DatasetFileChecks {
    private DatasetFileChecks() {
    }

    /** The same file by path, or through a symbolic or hard link (a probe's test file linked to the training one). */
    static boolean sameFile(String a, String b) {
        Path pa = Path.of(a).toAbsolutePath().normalize();
        Path pb = Path.of(b).toAbsolutePath().normalize();
        try {
            return pa.equals(pb) || (java.nio.file.Files.exists(pa) && java.nio.file.Files.exists(pb)
                    && java.nio.file.Files.isSameFile(pa, pb));
        } catch (java.io.IOException e) {
            return false; // unreadable: the file checks that follow say so
        }
    }

    /**
     * The same source: two addresses of one S3 object (a probe's test file in S3 that was the training file was
     * trained on and measured on, where local files were refused), or {@link #sameFile} for local paths.
     */
    static boolean sameSource(String a, String b) {
        boolean s3 = a.startsWith("s3://") || b.startsWith("s3://");
        return s3 ? dev.sift.store.S3Address.same(a, b) : sameFile(a, b);
    }

    /** A data file inside SIFT_HOME is refused before it is read (its first line would be quoted in errors). */
    private static boolean insideSiftHome(SpecBinder b, SpecBinder.Obj r, String where, String path) {
        if (!dev.sift.config.SiftHome.holds(Path.of(path))) {
            return false;
        }
        b.error(r.nestedLine(where.split("\\.")), where, dev.sift.config.SiftHome.refusal(path));
        return true;
    }

    /** The given split the utility file is the same file as ("test", "validation"), through a link; else null. */
    private static String sameAsAnother(DatasetSpec.Given given) {
        for (dev.sift.data.Split s : List.of(dev.sift.data.Split.TEST, dev.sift.data.Split.VALIDATION)) {
            if (given.of(s) != null && sameSource(given.utility(), given.of(s))) {
                return s.key();
            }
        }
        return null;
    }

    static void checkColumns(SpecBinder b, SpecBinder.Obj r, DatasetSpec d, dev.sift.data.TaskSpec task) {
        boolean s3 = d.path().startsWith("s3://"); // read at ingest; the local files beside it are checked here
        if (d.format().equals("csv") && !s3) {
            check(b, r, "dataset.columns", d.path(), d.separator(), d.encoding(), d.header(), d.columns().mapped(),
                    d.given() != null);
        } else if (!s3 && !insideSiftHome(b, r, "dataset.path", d.path())) {
            shape(b, r, "dataset.path", d.path(), d, d.format()); // JSON Lines, Parquet, Ditto: read at ingest
        }
        DatasetSpec.Given given = d.given();
        if (given != null) {
            for (dev.sift.data.Split s : given.splits()) {
                String[] f = {"dataset." + s.key(), given.of(s)};
                String twin = f[0].equals("dataset.utility") ? sameAsAnother(given) : null;
                if (sameSource(f[1], d.path())) {
                    b.error(r.nestedLine(f[0].split("\\.")), f[0], "is the same file as dataset.path (" + f[1] + "): its "
                            + "pairs would be trained on and measured on");
                } else if (twin != null) { // a link to it: the parser caught the same path written twice
                    b.error(r.nestedLine("dataset", "utility"), f[0], DatasetParser.sameAsUtility(twin, f[1]));
                } else if (f[1].startsWith("s3://")) {
                    continue; // read at ingest
                } else if (d.formatOf(s).equals("csv")) { // each file's format and separator: DatasetSpec.Reading
                    check(b, r, f[0], f[1], d.separatorOf(s), d.encoding(), d.header(), d.columns().mapped(), true);
                } else if (!insideSiftHome(b, r, f[0], f[1])) {
                    shape(b, r, f[0], f[1], d, d.formatOf(s));
                }
            }
        }
        DatasetSpec.Items items = d.items();
        if (items != null && !items.path().startsWith("s3://") && !insideSiftHome(b, r, "dataset.items.path",
                items.path())) {
            int before = b.errors().size();
            if (items.format().equals("csv")) {
                check(b, r, "dataset.items", items.path(), items.separator(), items.encoding(), items.header(),
                        items.wanted(), false);
            }
            if (b.errors().size() == before) {
                wholeItems(b, r, items);
            }
        }
        if (b.errors().isEmpty()) {
            positives(b, r, d, task);
        }
    }

    /**
     * A recommendation task whose {@code task.positive_at} is above every rating of a local interactions file of up
     * to {@link #WHOLE_ITEMS_BYTES} as stored: ingest would find no positive interaction and fail after the run is
     * recorded; said now, in ingest's words. Read up to the first positive row, with a throwaway key (nothing is
     * kept) and without the items file (only the ratings matter here).
     */
    private static void positives(SpecBinder b, SpecBinder.Obj r, DatasetSpec d, dev.sift.data.TaskSpec task) {
        if (!task.recommendation() || d.columns().label() == null || task.minLabel() == -Double.MAX_VALUE
                || d.path().startsWith("s3://") || insideSiftHome(b, r, "dataset.path", d.path())) {
            return;
        }
        Path p = Path.of(d.path());
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        try (InputStream in = Files.newInputStream(p)) {
            if (Files.size(p) <= WHOLE_ITEMS_BYTES) {
                new dev.sift.data.InteractionIngestor(d, task.minLabel(), new dev.sift.data.KeyedHasher(key), null)
                        .requirePositive(in, d.path());
            }
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith("no positive interaction")) {
                b.error(r.nestedLine("task", "positive_at"), "task.positive_at", d.path() + ": " + e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or malformed: the checks above or ingest say so in their own words
        }
    }

    /**
     * Above this size an items file is left to ingest, and a gzipped file unchecked past its start: reading it here
     * too would double a large source's read.
     */
    static final long WHOLE_ITEMS_BYTES = 256L << 20;

    /**
     * Reads a local items file whole, as ingest will (one entry per item, held in memory there too): an empty key, a
     * key twice or a row that cannot be read is said now, with its line and field, not after a run is recorded.
     */
    private static void wholeItems(SpecBinder b, SpecBinder.Obj r, DatasetSpec.Items items) {
        int at = r.nestedLine("dataset", "items", "path");
        Path path = Path.of(items.path());
        try (InputStream in = Files.newInputStream(path)) {
            if (Files.size(path) <= WHOLE_ITEMS_BYTES) {
                dev.sift.data.ItemCatalog.read(in, items.path(), items);
            }
        } catch (dev.sift.data.Ingestor.SchemaException | dev.sift.SiftException e) {
            b.error(at, "dataset.items.path", e.getMessage());
        } catch (IOException e) {
            b.error(at, "dataset.items.path", "cannot read " + items.path() + ": " + dev.sift.IoReason.of(e));
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            b.error(at, "dataset.items.path", String.valueOf(e.getMessage()));
        }
    }

    /**
     * The wanted columns a header lacks. None of several there (a wrong separator, most likely): one line with the
     * hint, not one per column. The training and items files: each column at the line and key that map it
     * (dataset.columns.title) where the file spells it out; a given validation, utility or test file: one line naming
     * that file's key. {@code has} quotes the header; a name there in another case is suggested.
     */
    private static void missingColumns(SpecBinder b, SpecBinder.Obj r, String key, String path, List<String> names,
            List<String> wanted, String has) {
        List<String> missing = wanted.stream().filter(w -> !names.contains(w) && !names.contains(w.trim())).toList();
        String[] section = sectionOf(key);
        List<String> together = new ArrayList<>();
        for (String w : missing) {
            Object[] at = section == null || missing.size() > 1 && missing.size() == wanted.size() ? null
                    : r.keyWithValue(w, section);
            if (at == null) {
                together.add(w);
            } else {
                b.error((int) at[0], (String) at[1], "column '" + w + "' is not in the header of " + path + has
                        + SourceHeader.caseHint(List.of(w), names));
            }
        }
        if (!together.isEmpty()) {
            List<String> quoted = together.stream().map(w -> "'" + w + "'").toList();
            b.error(r.nestedLine(key.split("\\.")), key, (quoted.size() == 1 ? "column " + quoted.get(0) + " is"
                    : "columns " + String.join(", ", quoted) + " are") + " not in the header of " + path + has
                    + SourceHeader.caseHint(together, names));
        }
    }

    /** The workflow section whose keys map {@code key}'s columns, or null for a given split's file. */
    private static String[] sectionOf(String key) {
        return key.equals("dataset.items") ? new String[] {"dataset", "items"}
                : key.equals("dataset.columns") ? new String[] {"dataset", "columns"} : null;
    }

    /**
     * The columns a CSV file must have: names in its header, or 0-based numbers within its first row's width; a header
     * with no data; a gzipped file cut short (JSON Lines and Parquet: {@link #shape}).
     */
    private static void check(SpecBinder b, SpecBinder.Obj r, String key, String path, char separator,
            Encoding encoding, boolean header, List<String> wanted, boolean oneOfSeveral) {
        String where = key.equals("dataset.items") ? "dataset.items.path" : key.equals("dataset.columns")
                ? "dataset.path" : key;
        String setting = key.equals("dataset.items") ? "dataset.items.separator" : "dataset.separator";
        java.util.function.Function<List<String>, String> hint = names -> oneOfSeveral
                ? SourceHeader.filesSeparatorHint(names, separator, path) : SourceHeader.separatorHint(names, separator,
                        setting);
        int at = r.nestedLine(where.split("\\.")); // the line of path:, not of dataset:
        int before = b.errors().size();
        if (insideSiftHome(b, r, where, path)) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            List<String> names = SourceHeader.names(in, separator, encoding, header);
            if (names == null) {
                return; // Parquet after all
            }
            if (names.isEmpty() || header && names.stream().allMatch(String::isBlank)) { // blank lines: "(has: )"
                b.error(at, where, names.isEmpty() ? path + " is empty: " + (header ? "no header row" : "no rows")
                        : path + ": its first line, the header, names no column (a blank line); the "
                        + "header must be the first line");
                return;
            }
            if (header) {
                missingColumns(b, r, key, path, names, wanted, SourceHeader.has(names, separator)
                        + hint.apply(names));
            }
            String[] section = sectionOf(key);
            for (String w : wanted) {
                if (!header && w.trim().matches("\\d{1,9}") && Integer.parseInt(w.trim()) >= names.size()) {
                    // at the line that maps it, as a name missing from a header is (it was the section's line)
                    Object[] maps = section == null ? null : r.keyWithValue(w, section);
                    b.error(maps == null ? r.nestedLine(key.split("\\.")) : (int) maps[0], maps == null ? key
                            : (String) maps[1], "column " + w.trim() + " is past the first row of " + path
                            + ", which has " + names.size() + " fields (columns 0-" + (names.size() - 1) + ")"
                            + hint.apply(names));
                }
            }
            // a header and no data: said before a run is made that ingest could only fail
            if (header && b.errors().size() == before && firstRowOnly(path, separator)) {
                b.error(at, where, path + " has its header and nothing else: no data rows");
            }
            if (b.errors().size() == before && !key.equals("dataset.items")) { // the items file is read whole next
                gzipToItsEnd(path);
            }
        } catch (IOException e) {
            b.error(at, where, "cannot read " + path + ": " + dev.sift.IoReason.of(e));
        } catch (IllegalArgumentException e) {
            b.error(at, where, path + ":" + e.getMessage());
        }
    }

    /** A JSON Lines or Parquet file that is empty or not in its format: said now, not after a run is recorded. */
    private static void shape(SpecBinder b, SpecBinder.Obj r, String where, String path, DatasetSpec d,
            String format) {
        int at = r.nestedLine(where.split("\\."));
        DatasetSpec.Columns c = d.columns(); // as ingest requires them: interactions (no query) user and item
        List<String> required = (c.query() == null ? java.util.stream.Stream.of(c.userId(), c.item())
                : java.util.stream.Stream.of(c.query(), c.label(), d.items() == null ? c.title() : null))
                .filter(java.util.Objects::nonNull).toList();
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            String problem = format.equals("ditto") ? null : SourceHeader.shapeProblem(in, path, format,
                    d.encoding(), required);
            if (problem != null) {
                b.error(at, where, problem);
            } else {
                gzipToItsEnd(path);
            }
        } catch (IOException e) {
            b.error(at, where, "cannot read " + path + ": " + dev.sift.IoReason.of(e));
        } catch (IllegalArgumentException e) {
            b.error(at, where, path + ":" + e.getMessage());
        }
    }

    /**
     * A gzipped file of up to {@link #WHOLE_ITEMS_BYTES} as stored unpacked to its end, so that one cut short in a copy or a
     * download is said before a run is recorded (the other checks read only its start): an {@link IOException}
     * ({@code EOFException} for a cut, {@code ZipException} for a damaged stream) that the callers say in one line.
     */
    private static void gzipToItsEnd(String path) throws IOException {
        Path p = Path.of(path);
        if (Files.size(p) > WHOLE_ITEMS_BYTES) {
            return;
        }
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p))) {
            in.mark(2);
            if (in.read() != 0x1f || in.read() != 0x8b) {
                return;
            }
            in.reset();
            try (InputStream z = new java.util.zip.GZIPInputStream(in, 1 << 16)) {
                z.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
    }

    private static boolean firstRowOnly(String path, char separator) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return SourceHeader.firstRowOnly(in, separator);
        }
    }
}
