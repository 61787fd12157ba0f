package dev.sift.data;

import dev.sift.data.DatasetSpec.Columns;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads CSV, JSON Lines or Parquet (gzipped or not, in the dataset's encoding), validates every row, quarantines
 * bad rows with line and reason, joins the items file, removes exact duplicates, hashes user ids and splits by
 * query. Pure: streams in, result out. {@link #scan} streams rows through in bounded memory (16 bytes a kept row
 * for duplicate detection); {@link #read} collects them, since the split needs every group.
 */
public final class Ingestor {
    private final DatasetSpec dataset;
    private final TaskSpec task;
    private final SplitSpec split;
    private final KeyedHasher hasher;
    private final QuarantineRaw quarantineRaw;
    private final ItemCatalog items;

    public Ingestor(DatasetSpec dataset, TaskSpec task, SplitSpec split, KeyedHasher hasher) {
        this(dataset, task, split, hasher, null);
    }

    /** {@code items}: the catalogue of {@code dataset.items}, or null without one. */
    public Ingestor(DatasetSpec dataset, TaskSpec task, SplitSpec split, KeyedHasher hasher, ItemCatalog items) {
        this.dataset = dataset;
        this.task = task;
        this.split = split;
        this.hasher = hasher;
        this.quarantineRaw = new QuarantineRaw(hasher, dataset.columns().userId());
        this.items = items;
    }

    /**
     * What ingest produced. {@code samples} are indexed 0..n-1 in source order and carry their split;
     * {@code flipped} counts the training labels that {@code dataset.noise} flipped (0 without it);
     * {@code encodingAdvice} says which encoding the file looks like when rows were not valid UTF-8 (else null).
     */
    public record Result(List<Sample> samples, List<Quarantined> quarantined, int rowsRead, int duplicates,
            LabelNoise.Flips flips, String encodingAdvice) {
        /** How many training labels {@code dataset.noise} flipped (0 without it). */
        public int flipped() {
            return flips == null ? 0 : flips.indices().length;
        }

        public int count(Split s) {
            return (int) samples.stream().filter(x -> x.split() == s).count();
        }

        /** Physical source lines the quarantined rows span. */
        public long quarantinedLines() {
            return quarantined.stream().mapToLong(Quarantined::lines).sum();
        }
    }

    /** What {@link #scan} saw: rows read, kept, exact duplicates dropped, quarantined, and the encoding advice. */
    public record Scan(long rowsRead, long kept, long duplicates, long quarantined, String encodingAdvice) {
    }

    /** A source file whose header lacks a mapped column: nothing can be ingested. */
    public static final class SchemaException extends RuntimeException {
        public SchemaException(String message) {
            super(message);
        }
    }

    public Result read(InputStream in, String sourceName) throws IOException {
        List<Sample> unique = new ArrayList<>();
        List<Quarantined> bad = new ArrayList<>();
        TextPool texts = new TextPool(); // the rows are kept: one copy of each text (scan alone keeps none)
        Scan scan = scan(in, sourceName, s -> unique.add(texts.of(s)), bad::add);
        List<Sample> out = new ArrayList<>(unique.size());
        if (!unique.isEmpty()) {
            Map<String, Split> assignment = Splitter.assign(unique.stream().map(Sample::group).toList(),
                    split);
            for (int i = 0; i < unique.size(); i++) {
                Sample s = unique.get(i);
                out.add(s.withIndexAndSplit(i, assignment.get(s.group())));
            }
        }
        return withNoise(out, bad, scan.rowsRead(), scan.duplicates(), scan.encodingAdvice());
    }

    /** One file of a split the data comes with, and the split its rows belong to. */
    public record Part(InputStream in, String name, Split split) {
    }

    /**
     * Reads the files of a given split in order: every row of a part belongs to the part's split, except that
     * without a utility file {@code split.utility} still takes that share of the training rows' queries for the
     * utility split, without a validation file {@code split.validation} that share for the validation split, and
     * without a test file (a utility file alone) {@code split.test} that share for the test split. A split drawn
     * so comes from the training file's queries that the utility file does not hold; those stay in training.
     * Exact duplicates are removed from the training file only: the validation, utility and test files are used as
     * the data set defines them (a benchmark's published scores count every line), and a pair in two files is the
     * split's own business.
     */
    public Result readGiven(List<Part> parts) throws IOException {
        List<Sample> out = new ArrayList<>();
        List<Quarantined> bad = new ArrayList<>();
        long rows = 0;
        long duplicates = 0;
        String advice = null;
        TextPool texts = new TextPool();
        for (Part p : parts) {
            List<Sample> unique = new ArrayList<>();
            Scan scan = scan(p.in(), p.name(), s -> unique.add(texts.of(s)), q -> bad.add(q.inFile(p.name())),
                    p.split());
            unique.forEach(s -> out.add(s.withIndexAndSplit(out.size(), p.split())));
            rows += scan.rowsRead();
            duplicates += scan.duplicates();
            advice = advice == null ? scan.encodingAdvice() : advice;
        }
        List<String> trainGroups = out.stream().filter(s -> s.split() == Split.TRAIN).map(Sample::group).toList();
        // split.validation is above 0 only without a validation file: then validation comes from the training file
        if ((split.validation() > 0 || split.utility() > 0 || split.test() > 0) && !trainGroups.isEmpty()) {
            java.util.Set<String> inTrain = utilityHeld(out);
            SplitSpec drawing = new SplitSpec(split.validation(), split.utility(), split.test(), split.seed());
            requireOthers(trainGroups, inTrain, drawing, parts.stream().anyMatch(p -> p.split() == Split.TEST));
            Map<String, Split> drawn = Splitter.assign(trainGroups, drawing, inTrain);
            out.replaceAll(s -> s.split() == Split.TRAIN ? s.withIndexAndSplit(s.index(), drawn.get(s.group())) : s);
        }
        return withNoise(out, bad, rows, duplicates, advice);
    }

    /**
     * The training file's groups that hold a query of the utility file (none without one): they stay in training, so
     * the queries that value samples neither pick epochs nor are measured. Split by query these are the utility
     * file's queries themselves; by another group column (sessions), every group that holds one of them.
     */
    private static java.util.Set<String> utilityHeld(List<Sample> samples) {
        java.util.Set<String> queries = new java.util.HashSet<>();
        samples.stream().filter(s -> s.split() == Split.UTILITY).forEach(s -> queries.add(normalise(s.query())));
        if (queries.isEmpty()) {
            return java.util.Set.of(); // no utility file: nothing normalised again
        }
        java.util.Set<String> held = new java.util.HashSet<>();
        samples.stream().filter(s -> s.split() == Split.TRAIN && queries.contains(normalise(s.query())))
                .forEach(s -> held.add(s.group()));
        return held;
    }

    /** Stops, in one line, when too few groups are left beside those {@link #utilityHeld} to draw the splits from. */
    private void requireOthers(List<String> trainGroups, java.util.Set<String> inTrain, SplitSpec drawing,
            boolean testFile) {
        int groups = new java.util.HashSet<>(trainGroups).size();
        int needed = Splitter.heldOut(drawing, groups);
        if (inTrain.isEmpty() || groups - inTrain.size() >= needed) {
            return;
        }
        String column = dataset.columns().group();
        String unit = column == null || column.equals(dataset.columns().query()) ? "queries"
                : "groups (dataset.columns.group '" + column + "')";
        throw new IllegalArgumentException(String.format("only %d of the training file's %d %s hold no query of "
                + "dataset.utility; drawing %s needs %d of them (the utility file's queries stay in training, kept "
                + "apart from the queries that pick epochs and are measured): %s, or give a utility file of fewer of "
                + "the training file's queries", groups - inTrain.size(), groups, unit,
                Splitter.and(Splitter.drawn(drawing)), needed, testFile
                        ? "give a dataset.validation file, lower split.validation"
                        : "give dataset.test (and dataset.validation) files, lower split.validation and split.test"));
    }

    /** The result, with {@code dataset.noise} applied to the training rows. */
    private Result withNoise(List<Sample> out, List<Quarantined> bad, long rows, long duplicates, String advice) {
        LabelNoise.Flips flips = null;
        if (dataset.noise() != null && !out.isEmpty()) {
            // after the split, training rows only: validation, utility and test stay as the source says
            LabelNoise.Result noisy = LabelNoise.apply(out, task, dataset.noise());
            out = noisy.samples();
            flips = noisy.flips();
        }
        return new Result(out, bad, (int) rows, (int) duplicates, flips, advice);
    }

    /**
     * Streams the source: every valid row that is not an exact duplicate (same query, product text, label, group
     * and user) goes to {@code good}, indexed in order, split not yet assigned; every refused row to {@code bad}.
     */
    public Scan scan(InputStream in, String sourceName, Consumer<Sample> good, Consumer<Quarantined> bad)
            throws IOException {
        return scan(in, sourceName, good, bad, Split.TRAIN);
    }

    /**
     * {@link #scan} of {@code split}'s file, in its format and with its separator ({@link DatasetSpec#formatOf}); exact
     * duplicates are dropped from the training file only.
     */
    private Scan scan(InputStream in, String sourceName, Consumer<Sample> good, Consumer<Quarantined> bad,
            Split split) throws IOException {
        boolean dedup = split == Split.TRAIN;
        EncodingAdvice advice = new EncodingAdvice();
        RowLayout layout = new RowLayout(dataset.encoding(), dataset.header(), dataset.separatorOf(split),
                dataset.columns().mapped(), dataset.columns().userId(), quarantineRaw, advice,
                java.util.stream.Stream.of(dataset.columns().query(), dataset.columns().label(),
                        dataset.items() == null ? dataset.columns().title() : null) // with items: title or item
                        .filter(java.util.Objects::nonNull).toList());
        Fingerprints seen = new Fingerprints();
        long[] counts = new long[4]; // rows, duplicates, quarantined, kept
        Consumer<Quarantined> refused = q -> {
            counts[2]++;
            bad.accept(q);
        };
        SourceStreams.rows(in, sourceName, dataset.formatOf(split), layout, new RowSink() {
            @Override
            public void row(Map<String, String> values, long line, long lines, Supplier<String> raw) {
                counts[0]++;
                Sample s = accept(values, line, lines, raw, (int) (dedup ? seen.size() : counts[3]), refused);
                if (s != null && !dedup) {
                    counts[3]++;
                    good.accept(s);
                } else if (s != null && seen.add(s.query() + '\u0000' + s.title() + '\u0000' + s.description() + '\u0000'
                        + s.label() + '\u0000' + s.group() + '\u0000' + s.user())) {
                    good.accept(s);
                } else if (s != null) {
                    counts[1]++;
                }
            }

            @Override
            public void bad(Quarantined q) {
                counts[0]++;
                refused.accept(q);
            }
        });
        return new Scan(counts[0], dedup ? seen.size() : counts[3], counts[1], counts[2], advice.message());
    }

    /** The sample a row makes, or null when it is refused (then {@code bad} has been told why). */
    private Sample accept(Map<String, String> v, long line, long lines, Supplier<String> raw, int index,
            Consumer<Quarantined> bad) {
        Columns c = dataset.columns();
        String query = v.getOrDefault(c.query(), "").trim();
        String title = c.title() == null ? "" : v.getOrDefault(c.title(), "").trim();
        String description = c.description() == null ? "" : v.getOrDefault(c.description(), "").trim();
        if (query.isEmpty()) {
            return refuse(bad, line, lines, c.query(), Quarantined.EMPTY, "empty query", raw);
        }
        if (title.isEmpty() && items != null) {
            String key = v.getOrDefault(c.item(), "").trim();
            ItemCatalog.Item item = key.isEmpty() ? null : items.get(key);
            if (item == null) {
                return refuse(bad, line, lines, c.item(), Quarantined.UNKNOWN_ITEM, key.isEmpty() ? "empty item key"
                        : "item '" + truncate(key) + "' is not in " + items.source(), raw);
            }
            title = item.text();
            description = description.isEmpty() ? item.description() : description;
            if (hasControl(item.text()) || hasControl(item.description())) {
                return refuse(bad, line, lines, c.item(), Quarantined.CONTROL, "the item's text contains a control "
                        + "character (NUL, escape sequence or similar)", raw);
            }
        }
        if (title.isEmpty()) {
            return refuse(bad, line, lines, c.title(), Quarantined.EMPTY, "empty title", raw);
        }
        String control = controlCharacterField(v);
        if (control != null) {
            return refuse(bad, line, lines, control, Quarantined.CONTROL, "contains a control character "
                    + "(NUL, escape sequence or similar)", raw);
        }
        String labelText = v.get(c.label());
        if (labelText == null || labelText.isBlank()) {
            return refuse(bad, line, lines, c.label(), Quarantined.EMPTY, labelText == null ? "no label"
                    : "empty label", raw);
        }
        double label;
        try {
            Double word = task.type() == TaskType.BINARY ? binaryWord(labelText.trim()) : null;
            label = word != null ? word : Double.parseDouble(labelText.trim());
            if (!Double.isFinite(label)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            return refuse(bad, line, lines, c.label(), Quarantined.NOT_A_NUMBER, notANumber(labelText)
                    + (task.type() == TaskType.BINARY ? ": the task expects " + expected() + ", true/false or yes/no"
                            : ""), raw);
        }
        String kind = labelKind(label);
        if (kind != null) {
            return refuse(bad, line, lines, c.label(), kind, "label " + labelText.trim() + (kind.equals(Quarantined
                    .NOT_WHOLE) ? " is not a whole grade" : " is out of range") + ": the task expects " + expected(), raw);
        }
        String group = c.group() == null ? normalise(query) : v.getOrDefault(c.group(), "").trim();
        if (group.isEmpty()) {
            return refuse(bad, line, lines, c.group() == null ? c.query() : c.group(), Quarantined.EMPTY,
                    c.group() == null ? "empty query once zero-width characters are removed" : "empty group", raw);
        }
        return new Sample(index, query, title, description, label, group, user(v), noisy(v), Split.TRAIN, line);
    }

    /** Why a label is no number: past a double's range (1e400), written with a decimal comma, or not one at all. */
    private static String notANumber(String labelText) {
        String t = labelText.trim();
        if (t.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return "label " + truncate(t) + " is beyond the range of a number (about 1.8e308)";
        }
        return "label is not a number: '" + truncate(labelText) + "'" + (Text.commaNumber(t)
                ? " (a decimal comma: write labels with a point, 2.5 not 2,5)" : "");
    }

    /** A binary label written as a word (clicks exported as true/false, yes/no), or null for anything else. */
    private static Double binaryWord(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes" -> 1.0;
            case "false", "no" -> 0.0;
            default -> null;
        };
    }

    /** The keyed hash of the row's user id, or null. */
    private String user(Map<String, String> v) {
        String col = dataset.columns().userId();
        String u = col == null ? "" : v.getOrDefault(col, "").trim();
        return u.isEmpty() ? null : hasher.hash(u);
    }

    /** Whether the source's noise-flag column marks the row (1, true or yes). */
    private boolean noisy(Map<String, String> v) {
        String col = dataset.columns().noiseFlag();
        String f = col == null ? "" : v.getOrDefault(col, "").trim().toLowerCase(Locale.ROOT);
        return f.equals("1") || f.equals("true") || f.equals("yes");
    }

    private static Sample refuse(Consumer<Quarantined> bad, long line, long lines, String field, String kind,
            String reason, Supplier<String> raw) {
        bad.accept(new Quarantined(line, lines, field, kind, reason, raw.get()));
        return null;
    }

    /**
     * The first text column holding NUL or a terminal escape introducer (ESC, or the one-byte CSI 0x9B), or null.
     * Other control characters stay: real shop data carries C1 characters from mis-decoded windows-1252 (CrowdFlower
     * has 58 rows with U+0095 bullets and U+0092 apostrophes), and tables strip them before printing anyway.
     */
    private String controlCharacterField(Map<String, String> v) {
        Columns c = dataset.columns();
        for (String col : new String[] {c.query(), c.title(), c.description(), c.group()}) {
            String s = col == null ? null : v.get(col);
            if (s != null && hasControl(s)) {
                return col;
            }
        }
        return null;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> ch == 0 || ch == 0x1B || ch == 0x9B);
    }

    private static final java.util.regex.Pattern INVISIBLE = java.util.regex.Pattern.compile(
            "[\\u200B-\\u200D\\u2060\\uFEFF\\u00AD]");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("[\\s\\p{Z}]+");

    /** Why a numeric label is refused ({@link Quarantined#OUT_OF_RANGE} or {@link Quarantined#NOT_WHOLE}), or null. */
    private String labelKind(double label) {
        if (label < task.minLabel() || label > task.maxLabel()) {
            return Quarantined.OUT_OF_RANGE;
        }
        return task.type() != TaskType.REGRESSION && label != Math.rint(label) ? Quarantined.NOT_WHOLE : null;
    }

    private String expected() {
        return (task.type() == TaskType.REGRESSION ? "a number" : "an integer") + " from " + Text.number(task.minLabel())
                + " to " + Text.number(task.maxLabel());
    }

    /**
     * The query as its group: lower case, every run of white space (Unicode spaces such as U+00A0 too) one space,
     * trimmed, zero-width characters and soft hyphens removed, and in Unicode's composed form (NFC), so that "wool
     * sheets" and "wool sheets" followed by a no-break space are one query and land in one split, and so are "töpfe"
     * with its o-umlaut as one character and as an o and a combining diaeresis (macOS and some web forms write the
     * second: a probe's shop had 13 of 40 such queries in two splits). NFC, not NFKC: text already composed is left
     * as it is, so a data set's split stays what it was before stop 59 unless it held decomposed queries (NFKC would
     * also rewrite an ellipsis, a ligature or a Roman numeral, move the query in the sorted order the split shuffles,
     * and reassign a review's 181 of 400 untouched queries).
     */
    public static String normalise(String query) {
        String q = query;
        for (int i = 0; i < q.length(); i++) {
            if (q.charAt(i) > 0x7F) {
                q = Text.composed(INVISIBLE.matcher(q).replaceAll(""));
                break;
            }
        }
        return SPACES.matcher(q.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    private static String truncate(String s) {
        return QuarantineRaw.truncate(s);
    }
}
