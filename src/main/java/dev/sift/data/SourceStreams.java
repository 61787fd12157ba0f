package dev.sift.data;

import dev.sift.SiftException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * What a source stream holds, told by its first bytes rather than its name: gzip (1F 8B) is unpacked on the fly,
 * Parquet ("PAR1") is read from a file (a stream is copied to a temporary one first: Parquet keeps its schema at
 * the end).
 */
final class SourceStreams {
    private static final int BUFFER = 1 << 16;

    private SourceStreams() {
    }

    /** Skips a UTF-8 byte order mark at the start of {@code in} (a spreadsheet's export writes one); else nothing. */
    static void skipBom(InputStream in) throws IOException {
        in.mark(3);
        if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
            in.reset();
        }
    }

    /** The stream, unpacked when gzipped, and whether it is Parquet. */
    record Opened(InputStream in, boolean parquet) {
    }

    /**
     * Reads a source of {@code format} (csv, jsonl, ditto or parquet; gzip and Parquet are told by their first bytes)
     * into {@code sink}. A quote that never closes or a broken gzip stream fails with a one-line usage error.
     */
    static void rows(InputStream raw, String source, String format, RowLayout layout, RowSink sink)
            throws IOException {
        try {
            Opened opened = open(raw);
            if (opened.parquet() || format.equals("parquet")) {
                Path tmp = spool(opened.in(), ".parquet");
                try {
                    ParquetRows.read(tmp, source, layout, sink);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } else if (format.equals("ditto")) {
                DittoRows.read(opened.in(), layout, sink);
            } else if (format.equals("jsonl")) {
                JsonlRows.read(opened.in(), source, layout, sink);
            } else {
                CsvRows.read(new CsvReader(opened.in(), layout.separator()), source, layout, sink);
            }
        } catch (CsvReader.UnterminatedQuote e) {
            throw SiftException.usage(source + ":" + e.line() + ": " + e.getMessage());
        } catch (NotText e) {
            throw SiftException.usage(source + ":" + e.getMessage());
        } catch (EOFException e) {
            throw SiftException.usage(source + ": " + dev.sift.IoReason.CUT_SHORT);
        } catch (ZipException e) {
            throw SiftException.usage(source + ": not a readable gzip file (" + e.getMessage() + ")");
        }
    }

    /**
     * Opens a source: gzip is unpacked (gzip inside gzip too, up to {@value #GZIP_LAYERS} layers), Parquet is told by
     * "PAR1". A stream that starts like UTF-16 (a byte order mark, or a NUL byte in the first two) is refused with a
     * {@link NotText} that says so: read byte by byte it would give column names full of NULs.
     */
    static Opened open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        boolean gzipped = false;
        for (int layer = 0; startsWith(in, 0x1F, 0x8B); layer++) {
            gzipped = true;
            if (layer == GZIP_LAYERS) {
                throw new NotText("1: gzip inside gzip more than " + GZIP_LAYERS + " times; unpack it first");
            }
            in = new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        boolean parquet = startsWith(in, 'P', 'A', 'R', '1');
        if (!parquet) {
            refuseUtf16(in, gzipped);
        }
        return new Opened(in, parquet);
    }

    private static final int GZIP_LAYERS = 3;

    private static void refuseUtf16(BufferedInputStream in, boolean gzipped) throws IOException {
        in.mark(PEEK);
        byte[] head = in.readNBytes(PEEK);
        in.reset();
        int a = head.length > 0 ? head[0] & 0xFF : -1;
        int b = head.length > 1 ? head[1] & 0xFF : -1;
        String order = a == 0xFF && b == 0xFE || a > 0 && b == 0 ? "UTF-16LE"
                : a == 0xFE && b == 0xFF || a == 0 && b > 0 ? "UTF-16BE" : null;
        if (order != null && a < 0xFE && !nulEveryOtherPlace(head, order.endsWith("LE") ? 1 : 0)) {
            throw new NotText("1: the file is not text: it has NUL bytes, but not in every other place as UTF-16 text "
                    + "would (a binary file, or compressed in a form other than gzip?)");
        }
        if (order != null) {
            boolean bom = a >= 0xFE;
            // without a byte order mark iconv must be told the byte order (glibc's UTF-16 then reads big-endian...
            // or little-endian, by platform); with one, UTF-16 reads it and drops the mark
            String iconv = "iconv -f " + (bom ? "UTF-16" : order) + " -t UTF-8";
            throw new NotText("1: the file looks like " + order + " text (" + (bom ? "a byte order mark"
                    : "a NUL byte in every other place") + "); Sift reads UTF-8, latin-1 and windows-1252: convert it, "
                    + "e.g. " + (gzipped ? "zcat FILE | " + iconv + " | gzip" : iconv));
        }
    }

    private static final int PEEK = 64;

    /**
     * Whether most byte pairs (3 in 4) have a NUL at {@code zeroAt} and none beside it, as Latin text in UTF-16 has;
     * not all, so that a header with other scripts still reads as UTF-16.
     */
    private static boolean nulEveryOtherPlace(byte[] head, int zeroAt) {
        int pairs = 0;
        int fit = 0;
        for (int i = 0; i + 1 < head.length; i += 2, pairs++) {
            fit += head[i + zeroAt] == 0 && head[i + 1 - zeroAt] != 0 ? 1 : 0;
        }
        return fit * 4 >= pairs * 3;
    }

    /** A source that is not text Sift can read; the message starts with the line number and a colon. */
    static final class NotText extends IllegalArgumentException {
        NotText(String message) {
            super(message);
        }
    }

    /** Whether the stream starts with {@code magic}; the stream is left where it was. */
    static boolean startsWith(BufferedInputStream in, int... magic) throws IOException {
        in.mark(magic.length);
        try {
            for (int m : magic) {
                if (in.read() != m) {
                    return false;
                }
            }
            return true;
        } finally {
            in.reset();
        }
    }

    /** Copies a stream to a temporary file the caller deletes. */
    static Path spool(InputStream in, String suffix) throws IOException {
        Path tmp = Files.createTempFile("sift-ingest-", suffix);
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
