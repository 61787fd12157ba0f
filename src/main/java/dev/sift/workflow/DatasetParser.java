package dev.sift.workflow;

import dev.sift.data.CsvReader;
import dev.sift.data.DatasetSpec;
import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.LabelNoise;
import dev.sift.data.Text;
import dev.sift.workflow.YamlTree.YMap;
import dev.sift.workflow.YamlTree.YNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code dataset} section of a workflow: source, format, columns and injected label noise. */
final class DatasetParser {
    private DatasetParser() {
    }

    static DatasetSpec dataset(SpecBinder b, SpecBinder.Obj d, Path base, YNode root,
            boolean checkFiles) {
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
        if (path != null && !path.startsWith("s3://")) {
            Path p = Path.of(path);
            if (!p.isAbsolute() && base != null) {
                p = base.resolve(p).normalize();
            }
            if (checkFiles && Files.isDirectory(p)) {
                b.error(d.keyLine("path"), d.path("path"), "is a directory, not a data file: " + p);
            } else if (checkFiles && !Files.isRegularFile(p)) {
                b.error(d.keyLine("path"), d.path("path"), "no such file: " + p);
            }
            path = p.toString();
            // keep the snapshot self-contained: the resolved absolute path is what a resumed run reads
            if (root instanceof YMap m) {
                YamlTree.set(m, "dataset.path", path);
            }
        }
        String format = d.choice("format", gen != null ? "csv" : guessFormat(path), "csv", "jsonl");
        String sep = d.string("separator", ",");
        if (sep.length() != 1 && !sep.equals("\\t")) {
            b.error(d.keyLine("separator"), d.path("separator"), "must be one character");
        }
        char separator = sep.equals("\\t") ? '\t' : sep.charAt(0);
        SpecBinder.Obj c = d.obj("columns");
        Columns columns;
        if (gen != null && !d.has("columns")) {
            columns = new Columns("query", "product_title", "product_description", "relevance", null, "user_id",
                    "is_noisy");
        } else {
            columns = new Columns(c.required("query"), c.required("title"), c.string("description", null),
                    c.required("label"), c.string("group", null), c.string("user_id", null),
                    c.string("noise_flag", null));
        }
        c.done();
        LabelNoise.Spec noise = d.has("noise") ? noise(d.obj("noise")) : null;
        d.done();
        return new DatasetSpec(path, gen, format, separator, columns, noise);
    }

    /** {@code dataset.noise}: labels flipped in the training split after the split. */
    private static LabelNoise.Spec noise(SpecBinder.Obj n) {
        double fraction = n.share("fraction", 0.2);
        String kind = n.choice("kind", "adjacent", "adjacent", "far", "query", "uniform");
        long seed = n.integer("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
        n.done();
        return new LabelNoise.Spec(fraction, LabelNoise.Kind.byKey(kind).orElse(LabelNoise.Kind.ADJACENT), seed);
    }

    private static String guessFormat(String path) {
        return path != null && (path.endsWith(".jsonl") || path.endsWith(".json")) ? "jsonl" : "csv";
    }


    static void checkColumns(SpecBinder b, SpecBinder.Obj r, DatasetSpec d) {
        List<String> wanted = new ArrayList<>();
        Columns c = d.columns();
        for (String col : new String[] {c.query(), c.title(), c.description(), c.label(), c.group(), c.userId(),
                c.noiseFlag()}) {
            if (col != null) {
                wanted.add(col);
            }
        }
        if (!d.format().equals("csv")) {
            return;
        }
        try (InputStream in = Files.newInputStream(Path.of(d.path()));
                CsvReader reader = new CsvReader(in, d.separator())) {
            CsvReader.Record header = reader.next();
            List<String> names = new ArrayList<>();
            if (header != null) {
                for (byte[] f : header.fields()) {
                    String s = Text.strictUtf8(f);
                    String name = s == null ? "" : s.trim();
                    if (names.contains(name)) {
                        b.error(r.keyLine("dataset"), "dataset.path", d.path() + ":" + header.line() + ": column '"
                                + name + "' appears twice in the header");
                    }
                    names.add(name);
                }
            }
            for (String w : wanted) {
                if (!names.contains(w)) {
                    b.error(r.keyLine("dataset"), "dataset.columns",
                            "column '" + w + "' is not in the header of " + d.path() + " (has: "
                                    + String.join(", ", names) + ")");
                }
            }
        } catch (IOException e) {
            b.error(r.keyLine("dataset"), "dataset.path", "cannot read " + d.path() + ": " + e.getMessage());
        } catch (CsvReader.UnterminatedQuote e) {
            b.error(r.keyLine("dataset"), "dataset.path", d.path() + ":" + e.line() + ": " + e.getMessage());
        }
    }
}
