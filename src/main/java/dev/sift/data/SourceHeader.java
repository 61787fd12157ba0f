package dev.sift.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The header row of a CSV source (gzipped or not), read before a run starts to check the mapped columns. */
public final class SourceHeader {
    private SourceHeader() {
    }

    /**
     * The trimmed column names of the first row, or null when the stream is Parquet. A name twice, or a quote
     * that never closes, is an {@link IllegalArgumentException} whose message starts with {@code line: }.
     */
    public static List<String> names(InputStream raw, DatasetSpec d) throws IOException {
        SourceStreams.Opened opened = SourceStreams.open(raw);
        if (opened.parquet()) {
            return null;
        }
        CsvReader reader = new CsvReader(opened.in(), d.separator());
        List<String> names = new ArrayList<>();
        try {
            CsvReader.Record header = reader.next();
            if (header == null) {
                return names;
            }
            for (byte[] f : header.fields()) {
                String s = d.encoding().decode(f);
                String name = s == null ? "" : s.trim();
                if (!name.isEmpty() && names.contains(name)) { // unnamed columns cannot clash
                    throw new IllegalArgumentException(header.line() + ": column '" + name
                            + "' appears twice in the header");
                }
                names.add(name);
            }
        } catch (CsvReader.UnterminatedQuote e) {
            throw new IllegalArgumentException(e.line() + ": " + e.getMessage());
        }
        return names;
    }
}
