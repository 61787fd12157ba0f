package dev.sift.data;

/**
 * A source row that was not ingested: where it started, how many physical lines it spans (a quoted CSV field may
 * hold newlines), which field, what kind of problem, and why.
 */
public record Quarantined(long line, long lines, String field, String kind, String reason, String raw) {
    public static final String COLUMNS = "wrong column count";
    public static final String EMPTY = "empty field";
    public static final String NOT_A_NUMBER = "label not a number";
    public static final String OUT_OF_RANGE = "label out of range";
    public static final String UTF8 = "invalid UTF-8";
    public static final String SYNTAX = "malformed row";
    public static final String CONTROL = "control character";
    public static final String UNKNOWN_ITEM = "unknown item";

    /** A row on one physical line. */
    public Quarantined(long line, String field, String kind, String reason, String raw) {
        this(line, 1, field, kind, reason, raw);
    }

    /** One line: {@code file:line: field 'x': reason}. */
    public String describe(String source) {
        return source + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + reason;
    }
}
