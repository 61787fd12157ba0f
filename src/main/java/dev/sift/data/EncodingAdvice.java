package dev.sift.data;

/**
 * Counts the rows quarantined because they are not valid UTF-8 and guesses what the file is instead, so the ingest
 * summary can say which {@code dataset.encoding} reads it.
 */
final class EncodingAdvice {
    private long rows;
    private Encoding guess;
    private long latin1Punctuation;

    /**
     * A field (or line) read with {@code encoding}: counted when latin-1 read a byte in 0x80-0x9F that windows-1252
     * defines. Latin-1 makes such a byte an invisible C1 control character, so a euro sign, curly quote or dash of a
     * windows-1252 file would vanish from the text without a word.
     */
    void read(Encoding encoding, byte[] bytes) {
        if (encoding == Encoding.LATIN_1 && Encoding.guess(bytes) == Encoding.WINDOWS_1252) {
            latin1Punctuation++;
        }
    }

    /**
     * A row with a field that is not valid UTF-8; {@code fields} are the row's fields that are read (all of them, not
     * only the first bad one: a windows-1252 byte in a later field of the row must not be missed, or the advice says
     * latin-1 and the run after it says windows-1252).
     */
    void note(java.util.Collection<byte[]> fields) {
        rows++;
        for (byte[] bytes : fields) {
            if (guess != Encoding.WINDOWS_1252 && Text.strictUtf8(bytes) == null) {
                guess = Encoding.guess(bytes);
            }
        }
    }

    long rows() {
        return rows;
    }

    /** The advice line, or null when every row was valid UTF-8 and nothing read as latin-1 looked like windows-1252. */
    String message() {
        if (rows == 0 && latin1Punctuation > 0) {
            return latin1Punctuation + (latin1Punctuation == 1 ? " field holds" : " fields hold") + " bytes in "
                    + "0x80-0x9F, which latin-1 reads as invisible control characters and windows-1252 as the euro "
                    + "sign, curly quotes and dashes: the file looks like windows-1252: set dataset.encoding: "
                    + "windows-1252";
        }
        if (rows == 0) {
            return null;
        }
        return rows + (rows == 1 ? " row is" : " rows are") + " not valid UTF-8; the file looks like "
                + guess.key() + ": set dataset.encoding: " + guess.key() + " (or auto)";
    }
}
