package dev.sift.workflow;

import dev.sift.data.DatasetSpec;
import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.DittoRows;
import dev.sift.data.Encoding;
import dev.sift.data.LabelNoise;
import dev.sift.workflow.YamlTree.YMap;
import dev.sift.workflow.YamlTree.YNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code dataset} section of a workflow: source, format, columns and injected label noise. */
final class DatasetParser {
    private DatasetParser() {
    }

    static DatasetSpec dataset(SpecBinder b, SpecBinder.Obj d, Path base, YNode root,
            boolean checkFiles, dev.sift.data.TaskSpec task) {
        boolean recommendation = task.recommendation();
        String path = d.string("path", null);
        DatasetSpec.Generate gen = null;
        if (d.has("generate")) {
            SpecBinder.Obj g = d.obj("generate");
            gen = new DatasetSpec.Generate((int) g.integer("rows", 2000, 50, 50_000_000), g.share("noise", 0.0),
                    g.integer("seed", 7, Long.MIN_VALUE, Long.MAX_VALUE));
            g.done();
        } else {
            d.obj("generate");
        }
        if (path == null && gen == null) {
            b.error(d.line(), d.path("path"), "is required (or dataset.generate for synthetic data)");
        }
        if (path != null && gen != null) {
            b.error(d.keyLine("generate"), d.path("generate"), "cannot be combined with dataset.path");
        }
        path = resolve(b, d, "path", path, base, root, "dataset.path", checkFiles);
        String format = d.choice("format", gen != null ? "csv" : guessFormat(path), "csv", "jsonl", "parquet", "ditto");
        DatasetSpec.Given given = given(b, d, base, root, checkFiles, gen != null, recommendation);
        char separator = separator(b, d, path);
        given = given == null ? null : given.withReadings(readings(given, format, separator, d.has("format"),
                d.has("separator")));
        Encoding encoding = encoding(b, d);
        boolean header = d.choice("header", "true", "true", "false").equals("true");
        DatasetSpec.Items items = d.has("items") ? items(b, d.obj("items"), base, root, checkFiles) : null;
        d.obj("items");
        SpecBinder.Obj c = d.obj("columns");
        Columns columns;
        if (gen != null && !d.has("columns")) {
            columns = new Columns("query", "product_title", "product_description", "relevance", null, "user_id",
                    "is_noisy");
        } else if (format.equals("ditto")) {
            columns = dittoColumns(b, d, items);
        } else if (recommendation) {
            // interactions: who, what, how much (optional; task.positive_at), when (optional; orders the split)
            columns = new Columns(null, c.string("title", null), null, c.string("rating", null), null,
                    c.required("user"), null, c.required("item"), c.string("time", null));
        } else {
            columns = pairColumns(b, c, items, header);
        }
        if (!header) {
            indexes(b, c, columns, format);
            headerlessGiven(b, d, given, format);
        }
        if (!format.equals("ditto")) {
            c.done();
        }
        LabelNoise.Spec noise = d.optional("noise") ? noise(b, d.obj("noise"), checkFiles && b.errors().isEmpty()
                ? task : null) : null;
        if (recommendation && (gen != null || given != null || noise != null || format.equals("ditto"))) {
            b.error(d.line(), "dataset", "task.type recommendation reads a file of interactions (columns user, "
                    + "item, optional rating and time): generate, format ditto, validation/utility/test and noise "
                    + "do not apply");
        }
        d.done();
        return new DatasetSpec(path, gen, format, separator, columns, noise, encoding, header, items, given);
    }

    /** The columns of query-product pairs: query, title (or an item key into the items file), label and the rest. */
    private static Columns pairColumns(SpecBinder b, SpecBinder.Obj c, DatasetSpec.Items items, boolean header) {
        String title = items == null ? c.required("title") : c.string("title", null);
        String item = c.string("item", items == null || !header ? null : items.key());
        if (items != null && item == null) {
            b.error(c.line(), c.path("item"), "is required with dataset.items and dataset.header: false");
        }
        if (items == null && item != null) {
            b.error(c.keyLine("item"), c.path("item"), "needs dataset.items, the file it is a key into");
        }
        return new Columns(c.required("query"), title, c.string("description", null), c.required("label"),
                c.string("group", null), c.string("user_id", null), c.string("noise_flag", null), item);
    }

    /** Ditto's fixed columns: the left record is the query side, the right one the product side. */
    private static Columns dittoColumns(SpecBinder b, SpecBinder.Obj d, DatasetSpec.Items items) {
        if (d.has("columns") || items != null) {
            String key = d.has("columns") ? "columns" : "items";
            b.error(d.keyLine(key), d.path(key), "does not apply to format ditto: the left record is the query "
                    + "side, the right record the product side, the third field the label");
        }
        return new Columns(DittoRows.LEFT, DittoRows.RIGHT, null, DittoRows.LABEL, null, null, null);
    }

    /**
     * {@code dataset.validation}, {@code dataset.utility} and {@code dataset.test}: the files of a split the data comes
     * with, resolved like the path; {@code dataset.path} is then the training file. A validation file goes with a test
     * file; a test file alone is fine (validation, and utility where a method reads one, are then drawn from the
     * training file's queries), and so is a utility file alone (validation and test are then drawn).
     */
    private static DatasetSpec.Given given(SpecBinder b, SpecBinder.Obj d, Path base, YNode root, boolean checkFiles,
            boolean generated, boolean recommendation) {
        String validation = d.string("validation", null);
        String utility = d.string("utility", null);
        String test = d.string("test", null);
        if (validation == null && utility == null && test == null) {
            return null;
        }
        String with = test != null ? "test" : validation != null ? "validation" : "utility";
        if (generated) {
            b.error(d.keyLine(with), d.path(with), "a generated dataset has no files to give a split");
            return null;
        }
        if (test == null && validation != null && !recommendation) { // recommendation refuses every given file
            b.error(d.keyLine("validation"), d.path("test"), "is required with dataset.validation: a given validation "
                    + "file goes with a given test file (a test file alone is fine: validation is then drawn from the "
                    + "training file's queries)");
            return null;
        }
        DatasetSpec.Given given = new DatasetSpec.Given(validation == null ? null : resolve(b, d, "validation",
                validation, base, root, "dataset.validation", checkFiles), utility == null ? null : resolve(b, d,
                "utility", utility, base, root, "dataset.utility", checkFiles), test == null ? null : resolve(b, d,
                "test", test, base, root, "dataset.test", checkFiles));
        if (given.utility() != null && (given.utility().equals(given.test())
                || given.utility().equals(given.validation()))) {
            b.error(d.keyLine("utility"), d.path("utility"), sameAsUtility(given.utility().equals(given.test())
                    ? "test" : "validation", given.utility()));
        }
        return given;
    }

    /** The line for a utility file that is also the test or validation file: no split does two jobs. */
    static String sameAsUtility(String other, String path) {
        return "is the same file as dataset." + other + " (" + path + "): " + (other.equals("test")
                ? "samples would be chosen by their value on the pairs the test split then measures"
                : "one split would both choose samples and pick epochs") + "; give a file of its own";
    }

    /** {@code dataset.noise}: labels flipped in the training split after the split. */
    /**
     * {@code dataset.noise}; a kind of no meaningful noise for {@code task} is refused ({@link LabelNoise#problem}); null
     * {@code task}: not checked (a stored workflow is read as it was accepted, and after another error the task may be
     * the parser's fallback, whose range the user never wrote).
     */
    private static LabelNoise.Spec noise(SpecBinder b, SpecBinder.Obj n, dev.sift.data.TaskSpec task) {
        int before = b.errors().size();
        double fraction = n.share("fraction", 0.2);
        String kind = n.choice("kind", "adjacent", "adjacent", "far", "query", "uniform");
        long seed = n.integer("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        LabelNoise.Spec spec = new LabelNoise.Spec(fraction, LabelNoise.Kind.byKey(kind)
                .orElse(LabelNoise.Kind.ADJACENT), seed);
        String problem = task == null || b.errors().size() != before ? null : LabelNoise.problem(task, spec);
        if (problem != null) {
            n.invalid("kind", problem);
        }
        n.done();
        return spec;
    }

    /** The format a file name says, a {@code .gz} suffix aside; gzip and Parquet are also told by content. */
    private static String guessFormat(String path) {
        String named = DatasetSpec.formatNamed(path);
        return named == null ? "csv" : named;
    }

    /**
     * The given files read other than the training file: each one's format and separator follow its own name where the
     * name says one and the workflow does not set it ({@code dataset.format} and {@code dataset.separator} apply to
     * every file), else the training file's.
     */
    private static java.util.Map<dev.sift.data.Split, DatasetSpec.Reading> readings(DatasetSpec.Given given,
            String format, char separator, boolean formatSet, boolean separatorSet) {
        java.util.Map<dev.sift.data.Split, DatasetSpec.Reading> out = new java.util.EnumMap<>(
                dev.sift.data.Split.class);
        for (dev.sift.data.Split s : given.splits()) {
            String named = formatSet ? null : DatasetSpec.formatNamed(given.of(s));
            Character sep = separatorSet ? null : DatasetSpec.separatorNamed(given.of(s));
            DatasetSpec.Reading r = new DatasetSpec.Reading(named == null ? format : named, sep == null ? separator
                    : sep);
            if (!r.format().equals(format) || r.separator() != separator) {
                out.put(s, r);
            }
        }
        return out;
    }

    /** A local path resolved against the workflow's folder and written back, so the snapshot is self-contained. */
    private static String resolve(SpecBinder b, SpecBinder.Obj d, String key, String path, Path base, YNode root,
            String snapshotKey, boolean checkFiles) {
        if (path == null) {
            return path;
        }
        if (path.startsWith("s3://")) { // read at ingest; its address checked now (a probe's s3://sift retried a minute)
            String problem = checkFiles ? dev.sift.store.S3Address.problem(path) : null; // a stored run's reads back
            if (problem != null) {
                b.error(d.keyLine(key), d.path(key), path + ": " + problem);
            }
            return path;
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) { // a NUL, or a name the locale cannot encode (LANG=C)
            b.error(d.keyLine(key), d.path(key), dev.sift.IoReason.invalidPath(path, e));
            return path;
        }
        if (!p.isAbsolute() && base != null) {
            p = base.resolve(p).normalize();
        }
        if (checkFiles && Files.isDirectory(p)) {
            b.error(d.keyLine(key), d.path(key), "is a directory, not a data file: " + p);
        } else if (checkFiles && !Files.isRegularFile(p)) {
            // a device, pipe or socket is read more than once (checks, digest, ingest): a probe's /dev/null and
            // <(cat data.csv) were called missing
            b.error(d.keyLine(key), d.path(key), Files.exists(p) ? "is not a regular file (a device, pipe or socket; "
                    + "Sift reads a data file more than once): " + p : "no such file: " + p);
        }
        // keep the snapshot self-contained: the resolved absolute path is what a resumed run reads
        if (root instanceof YMap m) {
            YamlTree.rewrite(m, snapshotKey, p.toString());
        }
        return p.toString();
    }

    /**
     * One character; {@code \t} or {@code tab} for a tab. Unset: a tab for a file named {@code .tsv} (or
     * {@code .tsv.gz}), else a comma.
     */
    private static char separator(SpecBinder b, SpecBinder.Obj d, String path) {
        String sep = d.string("separator", Character.valueOf('\t').equals(DatasetSpec.separatorNamed(path)) ? "\\t"
                : ",");
        if (sep.equals("\\t") || sep.equalsIgnoreCase("tab")) {
            return '\t';
        }
        if (sep.length() != 1 || sep.charAt(0) == '"' || sep.charAt(0) == '\n' || sep.charAt(0) == '\r') {
            b.error(d.keyLine("separator"), d.path("separator"), "must be one character other than a quote or a "
                    + "newline (\\t or tab for a tab), got '" + sep + "'");
            return ',';
        }
        return sep.charAt(0);
    }

    private static Encoding encoding(SpecBinder b, SpecBinder.Obj d) {
        String name = d.string("encoding", "utf-8");
        return Encoding.byKey(name).orElseGet(() -> {
            b.error(d.keyLine("encoding"), d.path("encoding"), "must be one of utf-8, latin-1 (iso-8859-1), "
                    + "windows-1252 (cp1252), auto; got '" + name + "'");
            return Encoding.UTF_8;
        });
    }

    /** Without a header, every mapped column is a 0-based column number, and the file must be CSV. */
    private static void indexes(SpecBinder b, SpecBinder.Obj c, Columns columns, String format) {
        if (!format.equals("csv")) {
            b.error(c.line(), "dataset.header", "false is for CSV files only (this dataset is " + format + ")");
        }
        List<String> named = new ArrayList<>();
        for (String key : COLUMN_KEYS) {
            String col = c.peek(key); // not marked as read: a key the dataset's kind has not is still unknown
            if (col != null && columns.mapped().contains(col) && !col.trim().matches("[0-9]{1,6}")) {
                b.error(c.keyLine(key), c.path(key), "'" + col + "' must be a 0-based column number: "
                        + "dataset.header is false");
                named.add(col);
            }
        }
        for (String col : columns.mapped()) { // a column no key of the file gave (a default)
            if (!col.trim().matches("[0-9]{1,6}") && !named.contains(col)) {
                b.error(c.line(), "dataset.columns", "'" + col + "' must be a 0-based column number: dataset.header "
                        + "is false");
            }
        }
    }

    /** Without a header every file must be CSV: a given file its name reads otherwise (test.jsonl) is refused too. */
    private static void headerlessGiven(SpecBinder b, SpecBinder.Obj d, DatasetSpec.Given given, String format) {
        for (dev.sift.data.Split s : given == null || !format.equals("csv") ? List.<dev.sift.data.Split>of()
                : given.splits()) {
            DatasetSpec.Reading r = given.readings().get(s);
            if (r != null && !r.format().equals("csv")) {
                b.error(d.keyLine("header"), "dataset.header", "false is for CSV files only (dataset." + s.key()
                        + " is " + r.format() + " by its name: " + given.of(s) + ")");
            }
        }
    }

    /** The keys of {@code dataset.columns}, pairs' and interactions'. */
    private static final List<String> COLUMN_KEYS = List.of("query", "title", "description", "label", "group",
            "user_id", "noise_flag", "item", "user", "rating", "time");

    /** {@code dataset.items}: the second file, joined by key, that supplies the product text. */
    private static DatasetSpec.Items items(SpecBinder b, SpecBinder.Obj i, Path base, YNode root,
            boolean checkFiles) {
        String path = resolve(b, i, "path", i.required("path"), base, root, "dataset.items.path", checkFiles);
        String format = i.choice("format", guessFormat(path), "csv", "jsonl", "parquet");
        char separator = separator(b, i, path);
        Encoding encoding = encoding(b, i);
        boolean header = i.choice("header", "true", "true", "false").equals("true");
        DatasetSpec.Items items = new DatasetSpec.Items(path, format, separator, header, encoding,
                i.required("key"), i.required("text"), i.string("description", null));
        if (!header) {
            for (String key : List.of("key", "text", "description")) {
                String col = i.peek(key);
                if (col != null && !col.trim().matches("[0-9]{1,6}")) {
                    b.error(i.keyLine(key), i.path(key), "'" + col + "' must be a 0-based column number: "
                            + "dataset.items.header is false");
                }
            }
        }
        i.done();
        return items;
    }
}
