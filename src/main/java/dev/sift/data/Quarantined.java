package dev.sift.data;

/**
 * A source row that was not ingested: where it started, how many physical lines it spans (a quoted CSV field may
 * hold newlines), which field, what kind of problem, and why; {@code file} names its file when the dataset has
 * more than one (a given split), else null.
 */
public record Quarantined(long line, long lines, String field, String kind, String reason, String raw, String file) {
    /** A row of the dataset's one file. */
    public Quarantined(long line, long lines, String field, String kind, String reason, String raw) {
        this(line, lines, field, kind, reason, raw, null);
    }

    public static final String COLUMNS = "wrong column count";
    public static final String EMPTY = "empty field";
    public static final String NOT_A_NUMBER = "label not a number";
    public static final String NOT_A_TIME = "time not a number or date";
    public static final String OUT_OF_RANGE = "label out of range";
    public static final String NOT_WHOLE = "label not a whole grade";
    public static final String ESCAPE = "invalid Unicode escape";
    public static final String UTF8 = "invalid UTF-8";
    public static final String SYNTAX = "malformed row";
    public static final String CONTROL = "control character";
    public static final String UNKNOWN_ITEM = "unknown item";

    /** A row on one physical line. */
    public Quarantined(long line, String field, String kind, String reason, String raw) {
        this(line, 1, field, kind, reason, raw);
    }

    /** The same row, named as a row of {@code newFile}. */
    public Quarantined inFile(String newFile) {
        return new Quarantined(line, lines, field, kind, reason, raw, newFile);
    }

    /**
     * One line: {@code file:line: field 'x': reason} ({@code source} unless the row names its file), what it quotes of
     * the data {@link Text#visible} (a label holding a newline or an escape sequence reached the terminal as it was).
     */
    public String describe(String source) {
        return Text.visible((file == null ? source : file) + ":" + line + ": " + (field == null ? ""
                : "field '" + field + "': ") + reason);
    }
}
