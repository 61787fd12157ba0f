package dev.sift.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The DeepMatcher/Ditto product-matching format to rows: one pair a line, {@code left<TAB>right<TAB>label}, each
 * record written {@code COL name VAL value COL name VAL value ...}. A record becomes the text
 * {@code "name: value name: value"} (attributes with an empty value left out), in the row's columns
 * {@value #LEFT}, {@value #RIGHT} and {@value #LABEL}; the label is checked like every other label, by the ingestor.
 */
public final class DittoRows {
    /** The column names a Ditto row has. */
    public static final String LEFT = "left";
    public static final String RIGHT = "right";
    public static final String LABEL = "label";

    /** The start of one attribute: COL, its name (no blanks), VAL. */
    private static final Pattern ATTRIBUTE = Pattern.compile("(?:^|\\s)COL\\s+(\\S+)\\s+VAL(?=\\s|$)");

    private DittoRows() {
    }

    /** A line that does not parse: which field, the quarantine kind and why. */
    public record Malformed(String field, String kind, String reason) {
    }

    /** One parsed line: its values by column, or why it is malformed (exactly one is not null). */
    public record Line(Map<String, String> values, Malformed malformed) {
    }

    static void read(InputStream in, RowLayout layout, RowSink sink) throws IOException {
        BufferedInputStream bin = new BufferedInputStream(in, 1 << 16);
        SourceStreams.skipBom(bin);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineNo = 0;
        int b = 0;
        while (b != -1) {
            line.reset();
            while ((b = bin.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1 && line.size() == 0) {
                break;
            }
            lineNo++;
            byte[] bytes = line.toByteArray();
            String text = layout.encoding().decode(bytes);
            layout.advice().read(layout.encoding(), bytes);
            if (text == null) {
                layout.advice().note(java.util.List.of(bytes));
                sink.bad(new Quarantined(lineNo, null, Quarantined.UTF8, "invalid UTF-8",
                        layout.raw().text(new String(bytes, StandardCharsets.UTF_8))));
                continue;
            }
            text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            if (text.isBlank()) {
                continue;
            }
            Line parsed = parse(text);
            String raw = layout.raw().text(text);
            if (parsed.malformed() != null) {
                Malformed m = parsed.malformed();
                sink.bad(new Quarantined(lineNo, m.field(), m.kind(), m.reason(), raw));
            } else {
                sink.row(parsed.values(), lineNo, 1, () -> raw);
            }
        }
    }

    /**
     * One line: the row's values by column ({@value #LEFT}, {@value #RIGHT}, {@value #LABEL}), or the
     * {@link Malformed} field and reason. A wrong number of tab-separated fields is charged to the label, the
     * third field, which is then missing or not where it belongs.
     */
    public static Line parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 3) {
            return new Line(null, new Malformed(LABEL, Quarantined.COLUMNS, "expected 3 tab-separated fields "
                    + "(left record, right record, label), got " + fields.length));
        }
        String[] names = {LEFT, RIGHT};
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < 2; i++) {
            String text = record(fields[i]);
            if (text == null) {
                return new Line(null, new Malformed(names[i], Quarantined.SYNTAX, "expected 'COL name VAL value "
                        + "...', got '" + truncate(fields[i].trim()) + "'"));
            }
            out.put(names[i], text);
        }
        out.put(LABEL, fields[2].trim());
        return new Line(out, null);
    }

    private static String truncate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }

    /** {@code COL a VAL x COL b VAL y} as {@code "a: x b: y"}, empty values left out; null when not that form. */
    static String record(String field) {
        String f = field.trim();
        Matcher m = ATTRIBUTE.matcher(f);
        List<int[]> heads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            heads.add(new int[] {m.start(), m.end()});
            names.add(m.group(1));
        }
        if (heads.isEmpty() || heads.get(0)[0] != 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < heads.size(); i++) {
            int end = i + 1 < heads.size() ? heads.get(i + 1)[0] : f.length();
            String value = f.substring(heads.get(i)[1], end).trim();
            if (!value.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : " ").append(names.get(i)).append(": ").append(value);
            }
        }
        return sb.toString();
    }
}
