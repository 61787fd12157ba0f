package dev.sift.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The prepared dataset format: JSON Lines, one sample per line with its index and split, fields in a fixed
 * order so the same samples always give the same bytes (and the same sha256).
 */
public final class PreparedDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PreparedDataset() {
    }

    public static byte[] write(List<Sample> samples) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (Sample s : samples) {
                ObjectNode n = JSON.createObjectNode();
                n.put("i", s.index());
                n.put("split", s.split().key());
                n.put("query", s.query());
                n.put("title", s.title());
                n.put("description", s.description());
                n.put("label", s.label());
                n.put("group", s.group());
                if (s.user() != null) {
                    n.put("user", s.user());
                }
                if (s.noisy()) {
                    n.put("noisy", true);
                }
                n.put("line", s.sourceLine());
                if (s.item() != null) {
                    n.put("item", s.item());
                }
                out.write(JSON.writeValueAsBytes(n));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static List<Sample> read(byte[] bytes) {
        List<Sample> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                var n = JSON.readTree(line);
                out.add(new Sample(n.get("i").asInt(), n.get("query").asText(), n.get("title").asText(),
                        n.get("description").asText(), n.get("label").asDouble(), n.get("group").asText(),
                        n.has("user") ? n.get("user").asText() : null, n.has("noisy") && n.get("noisy").asBoolean(),
                        Split.valueOf(n.get("split").asText().toUpperCase(java.util.Locale.ROOT)),
                        n.get("line").asLong(), n.has("item") ? n.get("item").asText() : null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
