package dev.sift.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sift.SiftException;
import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.DatasetSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads CSV or JSON Lines, validates every row, quarantines bad rows with line and reason, removes exact
 * duplicates, hashes user ids and splits by query. Pure: streams in, result out.
 */
public final class Ingestor {
    /** Strict JSON: a key twice in one object, or anything after the object, is an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final DatasetSpec dataset;
    private final TaskSpec task;
    private final SplitSpec split;
    private final KeyedHasher hasher;
    private final QuarantineRaw quarantineRaw;

    public Ingestor(DatasetSpec dataset, TaskSpec task, SplitSpec split, KeyedHasher hasher) {
        this.dataset = dataset;
        this.task = task;
        this.split = split;
        this.hasher = hasher;
        this.quarantineRaw = new QuarantineRaw(hasher, dataset.columns().userId());
    }

    /**
     * What ingest produced. {@code samples} are indexed 0..n-1 in source order and carry their split;
     * {@code flipped} counts the training labels that {@code dataset.noise} flipped (0 without it).
     */
    public record Result(List<Sample> samples, List<Quarantined> quarantined, int rowsRead, int duplicates,
            int flipped) {
        public int count(Split s) {
            return (int) samples.stream().filter(x -> x.split() == s).count();
        }

        /** Physical source lines the quarantined rows span. */
        public long quarantinedLines() {
            return quarantined.stream().mapToLong(Quarantined::lines).sum();
        }
    }

    /** A source file whose header lacks a mapped column: nothing can be ingested. */
    public static final class SchemaException extends RuntimeException {
        public SchemaException(String message) {
            super(message);
        }
    }

    public Result read(InputStream in, String sourceName) throws IOException {
        List<Sample> good = new ArrayList<>();
        List<Quarantined> bad = new ArrayList<>();
        int[] rows = {0};
        if (dataset.format().equals("jsonl")) {
            readJsonl(in, sourceName, good, bad, rows);
        } else {
            readCsv(in, sourceName, good, bad, rows);
        }
        // exact duplicates: same query, product text, label, group and user
        Set<String> seen = new HashSet<>();
        List<Sample> unique = new ArrayList<>();
        int duplicates = 0;
        for (Sample s : good) {
            String key = s.query() + '\u0000' + s.title() + '\u0000' + s.description() + '\u0000' + s.label()
                    + '\u0000' + s.group() + '\u0000' + s.user();
            if (seen.add(key)) {
                unique.add(s);
            } else {
                duplicates++;
            }
        }
        List<Sample> out = new ArrayList<>(unique.size());
        if (!unique.isEmpty()) {
            Map<String, Split> assignment = Splitter.assign(unique.stream().map(Sample::group).toList(),
                    split);
            for (int i = 0; i < unique.size(); i++) {
                Sample s = unique.get(i);
                out.add(s.withIndexAndSplit(i, assignment.get(s.group())));
            }
        }
        int flipped = 0;
        if (dataset.noise() != null && !out.isEmpty()) {
            // after the split, training rows only: validation, utility and test stay as the source says
            LabelNoise.Result noisy = LabelNoise.apply(out, task, dataset.noise());
            out = noisy.samples();
            flipped = noisy.count();
        }
        return new Result(out, bad, rows[0], duplicates, flipped);
    }

    private void readCsv(InputStream in, String source, List<Sample> good, List<Quarantined> bad, int[] rows)
            throws IOException {
        try (CsvReader reader = new CsvReader(in, dataset.separator())) {
            readCsv(reader, source, good, bad, rows);
        } catch (CsvReader.UnterminatedQuote e) {
            throw SiftException.usage(source + ":" + e.line() + ": " + e.getMessage());
        }
    }

    private void readCsv(CsvReader reader, String source, List<Sample> good, List<Quarantined> bad, int[] rows)
            throws IOException {
        CsvReader.Record header = reader.next();
        if (header == null) {
            throw new SchemaException(source + ": empty file, no header row");
        }
        Map<String, Integer> col = columns(header, source);
        int width = header.fields().size();
        int userIndex = dataset.columns().userId() == null ? -1 : col.get(dataset.columns().userId());
        CsvReader.Record r;
        while ((r = reader.next()) != null) {
            if (r.fields().size() == 1 && r.fields().get(0).length == 0) {
                continue; // blank line
            }
            rows[0]++;
            List<byte[]> fields = r.fields();
            Supplier<String> raw = () -> quarantineRaw.csv(fields, userIndex, width);
            if (r.fields().size() != width) {
                bad.add(new Quarantined(r.line(), r.lines(), null, Quarantined.COLUMNS, "has " + r.fields().size()
                        + " columns, the header has " + width, raw.get()));
                continue;
            }
            Map<String, String> values = new HashMap<>();
            String invalid = null;
            for (var e : col.entrySet()) {
                String v = Text.strictUtf8(r.fields().get(e.getValue()));
                if (v == null) {
                    invalid = e.getKey();
                    break;
                }
                values.put(e.getKey(), v);
            }
            if (invalid != null) {
                bad.add(new Quarantined(r.line(), r.lines(), invalid, Quarantined.UTF8, "invalid UTF-8", raw.get()));
                continue;
            }
            accept(values, r.line(), r.lines(), raw, good, bad);
        }
    }

    /** Column name to index, from the header row; every mapped column must be there. */
    private Map<String, Integer> columns(CsvReader.Record header, String source) {
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.fields().size(); i++) {
            String name = Text.strictUtf8(header.fields().get(i));
            if (name != null && col.putIfAbsent(name.trim(), i) != null) {
                throw new SchemaException(source + ":" + header.line() + ": column '" + name.trim()
                        + "' appears twice in the header");
            }
        }
        Columns c = dataset.columns();
        for (String wanted : new String[] {c.query(), c.title(), c.description(), c.label(), c.group(),
            c.userId(), c.noiseFlag()}) {
            if (wanted != null && !col.containsKey(wanted)) {
                throw new SchemaException(source + ":1: column '" + wanted + "' is not in the header (has: "
                        + String.join(", ", col.keySet()) + ")");
            }
        }
        return col;
    }

    private void readJsonl(InputStream in, String source, List<Sample> good, List<Quarantined> bad, int[] rows)
            throws IOException {
        BufferedInputStream bin = new BufferedInputStream(in, 1 << 16);
        bin.mark(3);
        if (!(bin.read() == 0xEF && bin.read() == 0xBB && bin.read() == 0xBF)) {
            bin.reset(); // no UTF-8 byte order mark
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNo = 0;
        int b;
        boolean eof = false;
        while (!eof) {
            line.reset();
            while ((b = bin.read()) != -1 && b != '\n') {
                line.write(b);
            }
            eof = b == -1;
            if (eof && line.size() == 0) {
                break;
            }
            lineNo++;
            byte[] bytes = line.toByteArray();
            String text = Text.strictUtf8(bytes);
            if (text == null) {
                bad.add(new Quarantined(lineNo, null, Quarantined.UTF8, "invalid UTF-8",
                        quarantineRaw.text(new String(bytes, StandardCharsets.UTF_8))));
                rows[0]++;
            } else if (!text.isBlank()) {
                rows[0]++;
                jsonLine(text, lineNo, good, bad);
            }
        }
    }

    private void jsonLine(String text, long lineNo, List<Sample> good, List<Quarantined> bad) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            bad.add(new Quarantined(lineNo, null, Quarantined.SYNTAX, "invalid JSON: " + e.getOriginalMessage(),
                    quarantineRaw.text(text)));
            return;
        }
        if (node == null || !node.isObject()) {
            bad.add(new Quarantined(lineNo, null, Quarantined.SYNTAX, "not a JSON object", quarantineRaw.text(text)));
            return;
        }
        Map<String, String> values = new HashMap<>();
        String container = null;
        for (var it = node.fields(); it.hasNext();) {
            var e = it.next();
            if (e.getValue().isContainerNode() && mapped(e.getKey())) {
                container = e.getKey();
            } else if (!e.getValue().isNull()) {
                values.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        if (container != null) {
            bad.add(new Quarantined(lineNo, container, Quarantined.SYNTAX, "expected a string or a number, got "
                    + (node.get(container).isArray() ? "an array" : "an object"), quarantineRaw.json(node)));
            return;
        }
        accept(values, lineNo, 1, () -> quarantineRaw.json(node), good, bad);
    }

    private void accept(Map<String, String> v, long line, long lines, Supplier<String> raw, List<Sample> good,
            List<Quarantined> bad) {
        Columns c = dataset.columns();
        String query = v.getOrDefault(c.query(), "").trim();
        String title = v.getOrDefault(c.title(), "").trim();
        if (query.isEmpty()) {
            bad.add(new Quarantined(line, lines, c.query(), Quarantined.EMPTY, "empty query", raw.get()));
            return;
        }
        if (title.isEmpty()) {
            bad.add(new Quarantined(line, lines, c.title(), Quarantined.EMPTY, "empty title", raw.get()));
            return;
        }
        String control = controlCharacterField(v);
        if (control != null) {
            bad.add(new Quarantined(line, lines, control, Quarantined.CONTROL, "contains a control character "
                    + "(NUL, escape sequence or similar)", raw.get()));
            return;
        }
        String labelText = v.get(c.label());
        double label;
        try {
            label = Double.parseDouble(labelText == null ? "" : labelText.trim());
            if (!Double.isFinite(label)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            bad.add(new Quarantined(line, lines, c.label(), Quarantined.NOT_A_NUMBER, "label is not a number: '" + truncate(String.valueOf(labelText))
                    + "'", raw.get()));
            return;
        }
        if (label < task.minLabel() || label > task.maxLabel()
                || (task.type() != TaskType.REGRESSION && label != Math.rint(label))) {
            bad.add(new Quarantined(line, lines, c.label(), Quarantined.OUT_OF_RANGE, "label " + labelText.trim() + " is out of range: the task "
                    + "expects " + (task.type() == TaskType.REGRESSION ? "a number" : "an integer") + " from "
                    + fmt(task.minLabel()) + " to " + fmt(task.maxLabel()), raw.get()));
            return;
        }
        String description = c.description() == null ? "" : v.getOrDefault(c.description(), "").trim();
        String group = c.group() == null ? normalise(query) : v.getOrDefault(c.group(), "").trim();
        if (group.isEmpty()) {
            bad.add(new Quarantined(line, lines, c.group(), Quarantined.EMPTY, "empty group", raw.get()));
            return;
        }
        String user = null;
        if (c.userId() != null) {
            String u = v.getOrDefault(c.userId(), "").trim();
            user = u.isEmpty() ? null : hasher.hash(u);
        }
        boolean noisy = false;
        if (c.noiseFlag() != null) {
            String f = v.getOrDefault(c.noiseFlag(), "").trim().toLowerCase(Locale.ROOT);
            noisy = f.equals("1") || f.equals("true") || f.equals("yes");
        }
        good.add(new Sample(good.size(), query, title, description, label, group, user, noisy, Split.TRAIN, line));
    }

    /** Whether {@code key} is one of the dataset's mapped columns. */
    private boolean mapped(String key) {
        Columns c = dataset.columns();
        return key.equals(c.query()) || key.equals(c.title()) || key.equals(c.description()) || key.equals(c.label())
                || key.equals(c.group()) || key.equals(c.userId()) || key.equals(c.noiseFlag());
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
            if (s != null && s.chars().anyMatch(ch -> ch == 0 || ch == 0x1B || ch == 0x9B)) {
                return col;
            }
        }
        return null;
    }

    static String normalise(String query) {
        return query.toLowerCase(Locale.ROOT).trim().replaceAll("\\s+", " ");
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String truncate(String s) {
        return QuarantineRaw.truncate(s);
    }
}
