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
        } catch (ZipException | EOFException e) {
            throw SiftException.usage(source + ": not a readable gzip file (" + e.getMessage() + ")");
        }
    }

    static Opened open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        if (startsWith(in, 0x1F, 0x8B)) {
            in = new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER);
        }
        return new Opened(in, startsWith(in, 'P', 'A', 'R', '1'));
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
