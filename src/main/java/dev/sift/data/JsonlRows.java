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
import java.util.Map;

/** JSON Lines to rows: one object per line, values by key; a key twice or anything after the object is an error. */
final class JsonlRows {
    /** Strict JSON: a key twice in one object, or anything after the object, is an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonlRows() {
    }

    static void read(InputStream in, RowLayout layout, RowSink sink) throws IOException {
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
            String text = layout.encoding().decode(bytes);
            layout.advice().read(layout.encoding(), bytes);
            if (text == null) {
                layout.advice().note(bytes);
                sink.bad(new Quarantined(lineNo, null, Quarantined.UTF8, "invalid UTF-8",
                        layout.raw().text(new String(bytes, StandardCharsets.UTF_8))));
            } else if (!text.isBlank()) {
                line(text, lineNo, layout, sink);
            }
        }
    }

    private static void line(String text, long lineNo, RowLayout layout, RowSink sink) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            sink.bad(new Quarantined(lineNo, null, Quarantined.SYNTAX, "invalid JSON: " + e.getOriginalMessage(),
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
        for (var it = node.fields(); it.hasNext();) {
            var e = it.next();
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
}
