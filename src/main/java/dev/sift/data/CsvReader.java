package dev.sift.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV reader that works on bytes, so quoted newlines are handled and each field can be decoded with a
 * strict UTF-8 decoder afterwards (invalid bytes then quarantine one row, not the whole file). Separator,
 * quote and newline are ASCII, which never occurs inside a multi-byte UTF-8 sequence.
 */
public final class CsvReader implements Closeable {
    /**
     * Most physical lines one quoted field may span before the quote is taken to be unterminated. Real product
     * descriptions span hundreds of lines (CrowdFlower's longest: 780), so the bound is generous; a quote that
     * never closes still fails at end of file, or at {@link #MAX_QUOTED_BYTES}.
     */
    public static final int MAX_QUOTED_LINES = 10_000;
    /** Most bytes one quoted field may hold before the quote is taken to be unterminated. */
    public static final int MAX_QUOTED_BYTES = 1 << 20;

    /**
     * One record: its first line, the lines it spans (more than one where a quoted field holds a line break) and its
     * fields. {@code strayQuote}: a quote was read as text, after a quoted field closed or inside an unquoted one
     * ({@code "27" monitor"}, {@code 27" monitor}); read leniently, as Python's csv module does, and named in the
     * message when the record then has the wrong number of columns.
     */
    public record Record(long line, long lines, List<byte[]> fields, boolean strayQuote) {
        public Record(long line, long lines, List<byte[]> fields) {
            this(line, lines, fields, false);
        }
    }

    /**
     * A quoted field that never closes: it reaches the end of the input, or runs over {@link #MAX_QUOTED_LINES}
     * lines or {@link #MAX_QUOTED_BYTES} bytes. Everything after it would be read as one field, so the input as a
     * whole is unusable; {@code line} is where the quote opened.
     */
    public static final class UnterminatedQuote extends RuntimeException {
        private final long line;

        UnterminatedQuote(long line, String message) {
            super(message);
            this.line = line;
        }

        public long line() {
            return line;
        }
    }

    private final InputStream in;
    private final byte separator;
    private long line = 1;
    private boolean first = true;
    private int pushedBack = -2;

    public CsvReader(InputStream in, char separator) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.separator = (byte) separator;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int b = pushedBack;
            pushedBack = -2;
            return b;
        }
        return in.read();
    }

    /** The next record, or null at end of input. */
    public Record next() throws IOException {
        if (first) {
            first = false;
            SourceStreams.skipBom(in);
        }
        int b = read();
        if (b == -1) {
            return null;
        }
        pushedBack = b;
        long start = line;
        List<byte[]> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        boolean quoted = false;
        boolean fieldWasQuoted = false;
        boolean stray = false;
        long quoteLine = 0;
        while (true) {
            b = read();
            if (b == -1) {
                if (quoted) {
                    throw new UnterminatedQuote(quoteLine, "the quote opened on this line is never closed (it "
                            + "reaches the end of the file)");
                }
                fields.add(field.toByteArray());
                return new Record(start, line - start + 1, fields, stray);
            }
            if (quoted) {
                quoted = inQuotes(b, field, quoteLine);
                continue;
            }
            if (b == '"' && field.size() == 0 && !fieldWasQuoted) {
                quoted = true;
                fieldWasQuoted = true;
                quoteLine = line;
            } else if (b == separator) {
                fields.add(field.toByteArray());
                field.reset();
                fieldWasQuoted = false;
            } else if (b == '\n' || b == '\r') {
                if (b == '\r') {
                    int n = read();
                    if (n != '\n') {
                        pushedBack = n;
                    }
                }
                line++;
                fields.add(field.toByteArray());
                return new Record(start, line - start, fields, stray);
            } else {
                stray |= b == '"' || fieldWasQuoted; // text after a closed quote, or a quote in the text
                field.write(b);
            }
        }
    }

    /** One byte inside a quoted field; returns whether the field is still quoted afterwards. */
    private boolean inQuotes(int b, ByteArrayOutputStream field, long quoteLine) throws IOException {
        checkQuoted(quoteLine, field.size());
        if (b == '"') {
            int n = read();
            if (n == '"') {
                field.write('"');
                return true;
            }
            pushedBack = n;
            return false;
        }
        if (b == '\n') {
            line++;
        } else if (b == '\r') { // a line end of its own unless a \n follows (then that one counts)
            pushedBack = read();
            if (pushedBack != '\n') {
                line++;
            }
        }
        field.write(b);
        return true;
    }

    private void checkQuoted(long quoteLine, int bytes) {
        if (line - quoteLine >= MAX_QUOTED_LINES || bytes > MAX_QUOTED_BYTES) {
            throw new UnterminatedQuote(quoteLine, "the quote opened on this line is not closed within "
                    + MAX_QUOTED_LINES + " lines or " + (MAX_QUOTED_BYTES >> 20) + " MiB (an unterminated quote?)");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
