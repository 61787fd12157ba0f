package dev.sift.data;

import java.util.List;

/**
 * How a format reader turns records into rows: the text encoding, whether a CSV file has a header, the separator,
 * the columns it must find, the user-id column (hashed in quarantine records) and where rows that are not valid
 * UTF-8 are counted.
 */
record RowLayout(Encoding encoding, boolean header, char separator, List<String> wanted, String userColumn,
        QuarantineRaw raw, EncodingAdvice advice) {
}
