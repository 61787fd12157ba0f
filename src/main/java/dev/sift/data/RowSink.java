package dev.sift.data;

import java.util.Map;
import java.util.function.Supplier;

/** What a format reader hands on: one row's values by column, or a row it could not read. */
interface RowSink {
    /**
     * A row read: {@code values} by column name (by 0-based index as text without a header), where it started, how
     * many physical lines it spans, and its raw text for a quarantine record (made only when needed).
     */
    void row(Map<String, String> values, long line, long lines, Supplier<String> raw);

    /** A row that could not be read (wrong column count, bad encoding, malformed JSON). */
    void bad(Quarantined q);
}
