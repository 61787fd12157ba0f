package dev.sift.data;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** JSON Lines to rows: one object per line, values by key; a key twice or anything after the object is an error. */
final class JsonlRows {
    /**
     * Strict JSON: a key twice in one object, or anything after the object, is an error. A number with a fraction or
     * an exponent is read as a decimal, kept as written but for its exponent's form: through a double, 1e400 read as
     * Infinity and an item key 1e0 as "1.0", which matches no item "1".
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    private JsonlRows() {
    }

    /**
     * Reads every line; a mapped key that no object of the file has (a misspelling in {@code dataset.columns}) is
     * a {@link Ingestor.SchemaException} naming the keys the objects do have, rather than an empty field per row.
     */
    static void read(InputStream in, String source, RowLayout layout, RowSink sink) throws IOException {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        read(in, layout, sink, keys);
        List<String> missing = layout.required().stream().filter(w -> !keys.isEmpty() && !keys.contains(w)).toList();
        if (!missing.isEmpty()) { // every missing key in one line (a probe's had to fix one per run)
            throw new Ingestor.SchemaException(source + ": " + inNoObject(missing, keys));
        }
    }

    /** "key 'x' is in no object of the file (has: ...)", for ingest and for {@code validate}. */
    static String inNoObject(List<String> missing, java.util.Set<String> keys) {
        return (missing.size() == 1 ? "key '" + missing.get(0) + "' is" : "keys '" + String.join("', '", missing)
                + "' are") + " in no object of the file (has: " + String.join(", ", keys.size() > 30
                        ? new java.util.ArrayList<>(keys).subList(0, 30) : keys) + (keys.size() > 30 ? ", ..." : "")
                + ")" + SourceHeader.caseHint(missing, keys);
    }

    /**
     * The top-level keys of one line's JSON object, decoded as the dataset is, into {@code keys} (at most 1,000
     * names besides the {@code required} ones, as ingest keeps); a line that is not an object adds none. Whether the
     * line is a JSON object.
     */
    static boolean keysOf(byte[] line, Encoding encoding, List<String> required, java.util.Set<String> keys) {
        String text = encoding.decode(line);
        try {
            JsonNode node = text == null || text.isBlank() ? null : JSON.readTree(text);
            if (node != null && node.isObject()) {
                node.fieldNames().forEachRemaining(k -> {
                    if (keys.size() < 1000 || required.contains(k)) {
                        keys.add(k);
                    }
                });
                return true;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // ingest quarantines it
        }
        return false;
    }

    private static void read(InputStream in, RowLayout layout, RowSink sink, java.util.Set<String> keys)
            throws IOException {
        Lines lines = new Lines(in);
        long lineNo = 0;
        for (byte[] bytes = lines.next(); bytes != null; bytes = lines.next()) {
            lineNo++;
            String text = layout.encoding().decode(bytes);
            layout.advice().read(layout.encoding(), bytes);
            if (text == null) {
                layout.advice().note(java.util.List.of(bytes));
                sink.bad(new Quarantined(lineNo, null, Quarantined.UTF8, "invalid UTF-8",
                        layout.raw().text(new String(bytes, StandardCharsets.UTF_8))));
            } else if (!text.isBlank()) {
                line(text, lineNo, layout, sink, keys);
            }
        }
    }

    /**
     * The lines of a JSON Lines stream, for ingest and for {@code validate}'s look before a run: a leading byte order
     * mark skipped, each line's bytes without its '\n' (a '\r' before it stays; decoding trims it as blank), and
     * nothing after a last '\n' counted as a line.
     */
    static final class Lines {
        private final InputStream in;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private boolean eof;

        Lines(InputStream raw) throws IOException {
            in = new BufferedInputStream(raw, 1 << 16);
            SourceStreams.skipBom(in);
        }

        /** The next line's bytes, or null after the last. */
        byte[] next() throws IOException {
            if (eof) {
                return null;
            }
            line.reset();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            eof = b == -1;
            return eof && line.size() == 0 ? null : line.toByteArray();
        }
    }

    private static void line(String text, long lineNo, RowLayout layout, RowSink sink, java.util.Set<String> keys) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            sink.bad(new Quarantined(lineNo, null, Quarantined.SYNTAX, "invalid JSON: " + plain(e),
                    layout.raw().text(text)));
            return;
        }
        if (node == null || !node.isObject()) {
            sink.bad(new Quarantined(lineNo, null, Quarantined.SYNTAX, "not a JSON object",
                    layout.raw().text(text)));
            return;
        }
        Map<String, String> values = new HashMap<>();
        String container = null;
        node.fieldNames().forEachRemaining(k -> {
            if (keys.size() < 1000 || layout.wanted().contains(k)) {
                keys.add(k);
            }
        });
        for (var it = node.fields(); it.hasNext();) {
            var e = it.next();
            if (layout.wanted().contains(e.getKey()) && e.getValue().isTextual()
                    && loneSurrogate(e.getValue().textValue())) {
                sink.bad(new Quarantined(lineNo, e.getKey(), Quarantined.ESCAPE, "invalid Unicode: an escape of half "
                        + "a surrogate pair (\\uD800-\\uDFFF) without its other half", layout.raw().text(text)));
                return;
            }
            if (e.getValue().isContainerNode() && layout.wanted().contains(e.getKey())) {
                container = e.getKey();
            } else if (!e.getValue().isNull()) {
                values.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        if (container != null) {
            sink.bad(new Quarantined(lineNo, container, Quarantined.SYNTAX, "expected a string or a number, got "
                    + (node.get(container).isArray() ? "an array" : "an object"), layout.raw().json(node)));
            return;
        }
        sink.row(values, lineNo, 1, () -> layout.raw().json(node));
    }

    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The parser's complaint in plain words, with its column; no parser feature names or source locations. */
    static String plain(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String why;
        if (m.startsWith("Unexpected end-of-input")) {
            why = "the line ends inside an object, array or string that is not closed";
        } else if (m.startsWith("Trailing token")) {
            why = "text after the object (one object per line)";
        } else if (m.contains("'NaN'") || m.contains("Infinity")) {
            why = "NaN and Infinity are not JSON numbers (write null or a string)";
        } else if (m.contains("ALLOW_COMMENTS")) {
            why = "comments are not allowed in JSON";
        } else if (m.startsWith("Unexpected character ('}'") && m.contains("was expecting double-quote")
                || m.startsWith("Unexpected character (']'")) {
            why = "a comma before a closing brace or bracket (JSON has no trailing commas)";
        } else if (m.contains("ALLOW_SINGLE_QUOTES") || m.contains("was expecting double-quote")) {
            why = "keys and strings need double quotes";
        } else if (m.startsWith("Unrecognized token")) {
            // the token is not quoted: the line may not be data at all, and its first word could be anything
            why = "a bare word where a JSON value should be (strings need double quotes; true, false and null are "
                    + "lower case)";
        } else if (m.startsWith("Unexpected character") && m.contains("expected a valid value")) {
            // a probe's {"title": } read "Unexpected character ('}' (code 125)): expected a valid value (JSON ..."
            why = "a key without a value, or a character where a JSON value should be";
        } else if (m.startsWith("Unexpected character") && m.contains("was expecting comma")) {
            why = "a comma is missing between two entries";
        } else if (m.startsWith("Unexpected character") && m.contains("was expecting a colon")) {
            why = "a key needs a colon before its value";
        } else if (m.startsWith("Duplicate field")) {
            why = "key " + m.substring("Duplicate field ".length()).replaceAll("\\s.*", "") + " twice";
        } else {
            why = m.replaceAll("(?s)\\s*\\(?(at \\[Source|\\[Source|: enable|; enable|\\(for |`).*$", "").strip();
        }
        var at = e.getLocation();
        return why + (at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")");
    }
}
