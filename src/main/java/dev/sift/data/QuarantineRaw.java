package dev.sift.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw text a quarantine record keeps of a bad row, with the user id replaced by its keyed hash (the same one
 * the prepared dataset holds), so quarantine files never store user ids in the clear. When the user id cannot be
 * located (a CSV row whose columns do not line up with the header, JSON that cannot be parsed and still names the
 * user-id key), the raw text is withheld.
 */
final class QuarantineRaw {
    static final int LIMIT = 500;
    static final String WITHHELD = "(withheld: the row has a user-id column that cannot be located)";

    private final KeyedHasher hasher;
    private final String userKey;
    private final Pattern jsonValue;

    /** {@code userKey}: the user-id column or JSON key, or null when the dataset has none. */
    QuarantineRaw(KeyedHasher hasher, String userKey) {
        this.hasher = hasher;
        this.userKey = userKey;
        this.jsonValue = userKey == null ? null : Pattern.compile("(\"" + Pattern.quote(userKey)
                + "\"\\s*:\\s*)(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}\\s]+)");
    }

    /** A CSV row; {@code userIndex} is the user-id column (or -1), {@code width} the header's column count. */
    String csv(List<byte[]> fields, int userIndex, int width) {
        if (userIndex >= 0 && fields.size() != width) {
            return WITHHELD;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size() && sb.length() <= LIMIT; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = new String(fields.get(i), StandardCharsets.UTF_8);
            sb.append(Text.csv(i == userIndex ? hash(v) : v));
        }
        return truncate(sb.toString());
    }

    /** A parsed JSON object. */
    String json(JsonNode node) {
        if (userKey != null && node.isObject() && node.hasNonNull(userKey)) {
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            JsonNode v = node.get(userKey);
            copy.put(userKey, hash(v.isValueNode() ? v.asText() : v.toString()));
            return truncate(copy.toString());
        }
        return truncate(node.toString());
    }

    /** A line that is not valid JSON (or not valid UTF-8): the user-id value is replaced where it can be found. */
    String text(String line) {
        if (userKey == null || !line.contains("\"" + userKey + "\"")) {
            return truncate(line);
        }
        Matcher m = jsonValue.matcher(line);
        StringBuilder sb = new StringBuilder();
        boolean found = false;
        while (m.find()) {
            found = true;
            String v = m.group(2);
            String id = v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2 ? v.substring(1, v.length() - 1) : v;
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + "\"" + hash(id) + "\""));
        }
        m.appendTail(sb);
        return found ? truncate(sb.toString()) : WITHHELD;
    }

    private String hash(String id) {
        String t = id.trim();
        return t.isEmpty() ? t : hasher.hash(t);
    }

    static String truncate(String s) {
        return s.length() <= LIMIT ? s : s.substring(0, LIMIT) + "...";
    }
}
