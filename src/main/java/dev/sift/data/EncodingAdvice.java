package dev.sift.data;

/**
 * Counts the rows quarantined because they are not valid UTF-8 and guesses what the file is instead, so the ingest
 * summary can say which {@code dataset.encoding} reads it.
 */
final class EncodingAdvice {
    private long rows;
    private Encoding guess;

    /** A row with a field that is not valid UTF-8; {@code bytes} is that field. */
    void note(byte[] bytes) {
        rows++;
        if (guess != Encoding.WINDOWS_1252) {
            guess = Encoding.guess(bytes);
        }
    }

    long rows() {
        return rows;
    }

    /** The advice line, or null when every row was valid UTF-8. */
    String message() {
        if (rows == 0) {
            return null;
        }
        return rows + (rows == 1 ? " row is" : " rows are") + " not valid UTF-8; the file looks like "
                + guess.key() + ": set dataset.encoding: " + guess.key() + " (or auto)";
    }
}
