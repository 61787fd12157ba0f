package dev.sift.data;

import java.util.List;

/**
 * How a format reader turns records into rows: the text encoding, whether a CSV file has a header, the separator,
 * the columns it must find, the user-id column (hashed in quarantine records), where rows that are not valid
 * UTF-8 are counted, and the columns without which no row is kept (JSON Lines, whose objects may leave out the
 * optional keys, refuses a file where one of these is in no object).
 */
record RowLayout(Encoding encoding, boolean header, char separator, List<String> wanted, String userColumn,
        QuarantineRaw raw, EncodingAdvice advice, List<String> required) {
    /** A layout whose wanted columns are all required. */
    RowLayout(Encoding encoding, boolean header, char separator, List<String> wanted, String userColumn,
            QuarantineRaw raw, EncodingAdvice advice) {
        this(encoding, header, separator, wanted, userColumn, raw, advice, wanted);
    }
}
