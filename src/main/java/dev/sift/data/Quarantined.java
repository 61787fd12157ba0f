package dev.sift.data;

/** A source row that was not ingested: where it was, which field, what kind of problem, and why. */
public record Quarantined(long line, String field, String kind, String reason, String raw) {
    public static final String COLUMNS = "wrong column count";
    public static final String EMPTY = "empty field";
    public static final String NOT_A_NUMBER = "label not a number";
    public static final String OUT_OF_RANGE = "label out of range";
    public static final String UTF8 = "invalid UTF-8";
    public static final String SYNTAX = "malformed row";

    /** One line: {@code file:line: field 'x': reason}. */
    public String describe(String source) {
        return source + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + reason;
    }
}
