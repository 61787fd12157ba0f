package dev.sift.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.Sha256;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
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
            write(samples, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the prepared dataset to {@code out}, line by line (a million samples are hundreds of MB). */
    public static void write(List<Sample> samples, OutputStream out) throws IOException {
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
    }

    /** The samples of a prepared dataset's bytes, as {@link #readHashed} parses them; a line that does not parse throws. */
    public static List<Sample> read(byte[] bytes) {
        try {
            Hashed h = readHashed(new ByteArrayInputStream(bytes));
            if (h.samples() == null) {
                throw new IllegalArgumentException("not a prepared dataset: a line does not parse");
            }
            return h.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Samples read from a stream, and the sha256 of all its bytes; samples null when a line does not parse. */
    public record Hashed(List<Sample> samples, String sha256) {
        /** Whether every line parsed and the bytes hash to {@code sha256}, the name they were stored under. */
        public boolean intact(String expected) {
            return samples != null && sha256.equals(expected);
        }
    }

    /**
     * Reads a prepared dataset from {@code in} line by line while hashing it, to its end: a caller compares the hash
     * with the name before it trusts the samples. A line that does not parse (a corrupt object) stops the parsing,
     * not the hashing, so the caller sees the corruption as a wrong hash. Only an I/O failure of the stream throws.
     */
    public static Hashed readHashed(InputStream in) throws IOException {
        DigestInputStream d = new DigestInputStream(in, Sha256.digest());
        BufferedReader r = new BufferedReader(new InputStreamReader(d, StandardCharsets.UTF_8), 1 << 16);
        List<Sample> out = new ArrayList<>();
        TextPool texts = new TextPool();
        for (String line; (line = r.readLine()) != null;) {
            try {
                if (out != null) {
                    out.add(texts.of(sample(line)));
                }
            } catch (IOException | RuntimeException e) {
                out = null;
            }
        }
        return new Hashed(out, Sha256.hex(d.getMessageDigest()));
    }

    private static Sample sample(String line) throws IOException {
        var n = JSON.readTree(line);
        return new Sample(n.get("i").asInt(), n.get("query").asText(), n.get("title").asText(),
                n.get("description").asText(), n.get("label").asDouble(), n.get("group").asText(),
                n.has("user") ? n.get("user").asText() : null, n.has("noisy") && n.get("noisy").asBoolean(),
                Split.valueOf(n.get("split").asText().toUpperCase(java.util.Locale.ROOT)),
                n.get("line").asLong(), n.has("item") ? n.get("item").asText() : null);
    }
}
