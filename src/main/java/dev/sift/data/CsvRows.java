package dev.sift.data;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CSV records to rows. With a header, columns are named by it and every wanted column must be there; without one
 * ({@code dataset.header: false}), columns are 0-based indexes and rows are as wide as the first one.
 */
final class CsvRows {
    private CsvRows() {
    }

    /**
     * The first row, the header or (without one) the first data row, which sets the width: without a header, blank
     * lines before it are skipped as blank lines after it are; null for a file with no such row.
     */
    static CsvReader.Record first(CsvReader reader, boolean header) throws IOException {
        CsvReader.Record first = reader.next();
        while (!header && first != null && blank(first)) {
            first = reader.next();
        }
        return first;
    }

    static void read(CsvReader reader, String source, RowLayout layout, RowSink sink) throws IOException {
        CsvReader.Record first = first(reader, layout.header());
        if (first == null) {
            throw new Ingestor.SchemaException(source + ": empty file, " + (layout.header() ? "no header row"
                    : "no rows"));
        }
        Map<String, Integer> col = layout.header() ? named(first, source, layout) : indexed(layout);
        int width = first.fields().size();
        for (var e : col.entrySet()) {
            if (e.getValue() >= width) {
                throw new Ingestor.SchemaException(source + ":" + first.line() + ": column " + e.getKey()
                        + " is not there: the first row has " + width + " columns (numbered from 0)");
            }
        }
        String widthOf = layout.header() ? "the header has " : "the first row has ";
        int userIndex = layout.userColumn() == null ? -1 : col.get(layout.userColumn());
        if (!layout.header()) {
            rows(first, col, width, widthOf, userIndex, layout, sink);
        }
        CsvReader.Record r;
        while ((r = reader.next()) != null) {
            rows(r, col, width, widthOf, userIndex, layout, sink);
        }
    }

    private static void rows(CsvReader.Record r, Map<String, Integer> col, int width, String widthOf,
            int userIndex, RowLayout layout, RowSink sink) {
        if (blank(r)) {
            return;
        }
        List<byte[]> fields = r.fields();
        Supplier<String> raw = () -> layout.raw().csv(fields, userIndex, width);
        if (fields.size() != width) {
            sink.bad(new Quarantined(r.line(), r.lines(), null, Quarantined.COLUMNS, "has " + fields.size()
                    + " columns, " + widthOf + width + quoteHint(r), raw.get()));
            return;
        }
        Map<String, String> values = new HashMap<>();
        for (var e : col.entrySet()) {
            byte[] bytes = fields.get(e.getValue());
            String v = layout.encoding().decode(bytes);
            layout.advice().read(layout.encoding(), bytes);
            if (v == null) {
                layout.advice().note(col.values().stream().map(fields::get).toList());
                sink.bad(new Quarantined(r.line(), r.lines(), e.getKey(), Quarantined.UTF8, "invalid UTF-8",
                        raw.get()));
                return;
            }
            values.put(e.getKey(), v);
        }
        sink.row(values, r.line(), r.lines(), raw);
    }

    /** Column name to index, from the header row; every wanted column must be there. */
    private static Map<String, Integer> named(CsvReader.Record header, String source, RowLayout layout) {
        Map<String, Integer> col = new java.util.LinkedHashMap<>(); // header order, for messages
        for (int i = 0; i < header.fields().size(); i++) {
            String name = layout.encoding().name(header.fields().get(i));
            if (name.isBlank()) {
                continue; // an unnamed column (a spreadsheet's trailing empty ones) cannot be asked for, nor clash
            }
            if (col.putIfAbsent(name.trim(), i) != null) {
                throw new Ingestor.SchemaException(source + ":" + header.line() + ": column '"
                        + SourceHeader.cut(name.trim()) + "' appears twice in the header");
            }
        }
        if (col.isEmpty() && !layout.wanted().isEmpty()) { // a probe's file of blank lines said "(has: )"
            throw new Ingestor.SchemaException(source + ":" + header.line() + ": the header row names no column (a "
                    + "blank first line); the header must be the first line");
        }
        for (String wanted : layout.wanted()) {
            if (!col.containsKey(wanted) && col.containsKey(wanted.trim())) {
                col.put(wanted, col.get(wanted.trim())); // header names are read trimmed: ' relevance ' is relevance
            }
            if (!col.containsKey(wanted)) {
                throw new Ingestor.SchemaException(source + ":1: column '" + wanted + "' is not in the header"
                        + SourceHeader.has(col.keySet(), layout.separator()) + SourceHeader.separatorHint(col.keySet(),
                        layout.separator(), "its separator (dataset.separator, or dataset.items.separator for the "
                        + "items file)") + SourceHeader.caseHint(List.of(wanted), col.keySet()));
            }
        }
        return col;
    }

    /** Without a header: each wanted column is a 0-based index. */
    private static Map<String, Integer> indexed(RowLayout layout) {
        Map<String, Integer> col = new HashMap<>();
        for (String wanted : layout.wanted()) {
            col.put(wanted, index(wanted));
        }
        return col;
    }

    /** A column index of a file without a header: a number from 0. */
    static int index(String column) {
        try {
            int i = Integer.parseInt(column.trim());
            if (i >= 0) {
                return i;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("column '" + column + "' must be a 0-based column number when the "
                + "file has no header (dataset.header: false)");
    }

    /**
     * Why a record may have the wrong width when quotes are involved: a quote read as text, or a quoted field that
     * ran over lines (a quote that opens a field and closes lines later takes the separators and line breaks between
     * with it). Empty when neither.
     */
    static String quoteHint(CsvReader.Record r) {
        if (r.lines() > 1) {
            return " (a quoted field runs over lines " + r.line() + "-" + (r.line() + r.lines() - 1)
                    + ": an unclosed or stray quote? a quote inside a quoted field is written as two, \"\")";
        }
        return r.strayQuote() ? " (a quote stands inside a field: a stray quote? a quoted field must start with"
                + " the quote and write a quote inside it as two, \"\")" : "";
    }

    /** A line with nothing on it but spaces and tabs (one field: any two columns need a separator). */
    static boolean blank(CsvReader.Record r) {
        if (r.fields().size() != 1) {
            return false;
        }
        for (byte b : r.fields().get(0)) {
            if (b != ' ' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
