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
    /** One physical record: the line it started on and its raw fields. */
    public record Record(long line, List<byte[]> fields, String error) {
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
            skipBom();
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
        while (true) {
            b = read();
            if (b == -1) {
                fields.add(field.toByteArray());
                return new Record(start, fields, quoted ? "unterminated quoted field" : null);
            }
            if (quoted) {
                if (b == '"') {
                    int n = read();
                    if (n == '"') {
                        field.write('"');
                    } else {
                        quoted = false;
                        pushedBack = n;
                    }
                } else {
                    if (b == '\n') {
                        line++;
                    }
                    field.write(b);
                }
                continue;
            }
            if (b == '"' && field.size() == 0 && !fieldWasQuoted) {
                quoted = true;
                fieldWasQuoted = true;
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
                return new Record(start, fields, null);
            } else {
                field.write(b);
            }
        }
    }

    private void skipBom() throws IOException {
        in.mark(3);
        if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
            in.reset();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
