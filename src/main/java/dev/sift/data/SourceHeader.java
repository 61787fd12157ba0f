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
     * When a header read as one column holds another common separator, advice naming it and the {@code setting}
     * that sets it (with a leading "; "), else "": a tab-separated file read with the default comma has one column
     * named "query\tproduct_title".
     */
    public static String separatorHint(java.util.Collection<String> names, char separator, String setting) {
        String excel = excelLine(names, separator, setting);
        Character c = looksSeparatedBy(names, separator);
        return excel != null ? excel : c == null ? "" : "; the header looks " + (c == '\t' ? "tab" : "'" + c + "'")
                + "-separated: set " + setting + ": " + quoted(c);
    }

    /**
     * {@link #separatorHint} for a file of a data set that comes in several files ({@code dataset.path} beside
     * {@code dataset.test}, ...), where {@code dataset.separator} applies to every file and a {@code .tsv} or
     * {@code .csv} name sets one file's own separator when it is unset; {@code path} is the file's.
     */
    public static String filesSeparatorHint(java.util.Collection<String> names, char separator, String path) {
        String excel = excelLine(names, separator, "dataset.separator");
        Character c = looksSeparatedBy(names, separator);
        if (excel != null || c == null) {
            return excel == null ? "" : excel;
        }
        String looks = "; the header looks " + (c == '\t' ? "tab" : "'" + c + "'") + "-separated";
        if (c.equals(DatasetSpec.separatorNamed(path))) { // as its name says: dataset.separator overrides every name
            return looks + ", as its name says: dataset.separator (" + quoted(separator) + ") applies to every file of "
                    + "the data set; unset, each file's separator follows its name (.tsv tab, .csv comma)";
        }
        String name = c == '\t' ? ".tsv" : c == ',' ? ".csv" : null;
        return looks + ": " + (name == null ? "" : "name the file " + name + " (a file's separator follows its "
                + "name while dataset.separator is unset), or ") + "set dataset.separator: " + quoted(c) + " (it "
                + "applies to every file of the data set)";
    }

    /** The separator a header read as one column holds, or null. */
    private static Character looksSeparatedBy(java.util.Collection<String> names, char separator) {
        if (names.size() != 1) {
            return null;
        }
        String only = names.iterator().next();
        for (char c : new char[] {'\t', ';', '|', ','}) {
            if (c != separator && only.indexOf(c) >= 0) {
                return c;
            }
        }
        return null;
    }

    /**
     * Advice for a first line that is Excel's {@code sep=;} line, read as one column ({@code sep=;}; {@code sep=} when
     * the tab was trimmed) or cut at its own separator ({@code sep=} and an empty name); else null.
     */
    private static String excelLine(java.util.Collection<String> names, char separator, String setting) {
        List<String> n = new ArrayList<>(names);
        if (n.isEmpty() || n.size() > 2 || !n.get(0).toLowerCase(java.util.Locale.ROOT).startsWith("sep=")) {
            return null;
        }
        String first = n.get(0);
        char c;
        if (n.size() == 1 && first.length() <= 5) {
            c = first.length() == 5 ? first.charAt(4) : '\t';
        } else if (n.size() == 2 && first.length() == 4 && n.get(1).isBlank()) {
            c = separator;
        } else {
            return null;
        }
        return "; its first line is Excel's 'sep=" + (c == '\t' ? "\\t" : String.valueOf(c)) + "' line, not a "
                + "header: delete that line and set " + setting + ": " + quoted(c);
    }

    private static String quoted(char c) {
        return c == '\t' ? "tab" : "\"" + c + "\"";
    }

    /**
     * The header as an error quotes it, with a leading space: " (has: a, b)", each name cut to 40 characters and at
     * most 20 of them. A first line read as one column is quoted only when it looks like a column name or holds another
     * separator (the hint names it): a file that is not a CSV at all (a key, a password file) is one column, and its
     * first line is not repeated into a message a scheduled run stores.
     */
    public static String has(java.util.Collection<String> names, char separator) {
        if (names.size() == 1) {
            String only = names.iterator().next();
            if (separatorHint(names, separator, "").isEmpty()
                    && !(only.length() <= 40 && only.matches("[\\p{L}\\p{N} _.()/-]*"))) {
                return " (its first line reads as one column of " + only.length() + " characters, not shown: is this a "
                        + "CSV file, with the separator '" + (separator == '\t' ? "\\t" : String.valueOf(separator))
                        + "'?)";
            }
        }
        List<String> shown = new ArrayList<>();
        for (String n : names) {
            if (shown.size() == 20) {
                shown.add("... " + (names.size() - 20) + " more");
                break;
            }
            shown.add(cut(n));
        }
        return " (has: " + String.join(", ", shown) + ")";
    }

    /**
     * Advice for the {@code wanted} names the header has in another case only (with a leading "; "), else "":
     * names match case exactly, and a header's {@code Query} is not the workflow's {@code query}.
     */
    public static String caseHint(java.util.Collection<String> wanted, java.util.Collection<String> names) {
        List<String> pairs = new ArrayList<>();
        for (String w : wanted) {
            names.stream().filter(n -> !n.equals(w.trim()) && n.equalsIgnoreCase(w.trim())).findFirst()
                    .ifPresent(n -> pairs.add("'" + cut(n) + "' for '" + cut(w.trim()) + "'"));
        }
        return pairs.isEmpty() ? "" : "; names match case exactly: did you mean " + String.join(", ", pairs)
                + "?";
    }

    /** A column name as a message quotes it: cut to 40 characters (code points), the cut marked by "...". */
    public static String cut(String name) {
        return Text.cut(name, 40);
    }

    /**
     * The trimmed column names of the first row, or null when the stream is Parquet. A name twice, or a quote
     * that never closes, is an {@link IllegalArgumentException} whose message starts with {@code line: }.
     */
    public static List<String> names(InputStream raw, DatasetSpec d) throws IOException {
        return names(raw, d.separator(), d.encoding(), true);
    }

    /**
     * Whether a CSV source (gzipped or not; false for Parquet) holds its first row and nothing after it but blank
     * lines: a header with no data, which ingest could only fail on. Reads at most {@code 10,000} rows past the
     * first, so a file that starts with that many blank lines counts as having data (ingest then says what it has).
     */
    public static boolean firstRowOnly(InputStream raw, char separator) throws IOException {
        SourceStreams.Opened opened = SourceStreams.open(raw);
        if (opened.parquet()) {
            return false;
        }
        CsvReader reader = new CsvReader(opened.in(), separator);
        try {
            if (reader.next() == null) {
                return false; // no first row either: said as an empty file
            }
            for (int i = 0; i < 10_000; i++) {
                CsvReader.Record r = reader.next();
                if (r == null) {
                    return true;
                }
                if (!CsvRows.blank(r)) {
                    return false;
                }
            }
        } catch (CsvReader.UnterminatedQuote e) {
            return false; // ingest names the line
        }
        return false;
    }

    /**
     * {@link #names(InputStream, DatasetSpec)} for a file read with this separator and encoding; without a header
     * the first row that is not blank is data, its fields may repeat, and only their count matters (none: the file
     * holds blank lines only).
     */
    public static List<String> names(InputStream raw, char separator, Encoding encoding, boolean header)
            throws IOException {
        SourceStreams.Opened opened = SourceStreams.open(raw);
        if (opened.parquet()) {
            return null;
        }
        CsvReader reader = new CsvReader(opened.in(), separator);
        List<String> names = new ArrayList<>();
        try {
            CsvReader.Record first = CsvRows.first(reader, header); // as ingest reads it
            if (first == null) {
                return names;
            }
            for (byte[] f : first.fields()) {
                String name = encoding.name(f).trim();
                if (!name.isEmpty() && names.contains(name) && header) { // unnamed columns cannot clash
                    throw new IllegalArgumentException(first.line() + ": column '" + cut(name)
                            + "' appears twice in the header");
                }
                names.add(name);
            }
        } catch (CsvReader.UnterminatedQuote e) {
            throw new IllegalArgumentException(e.line() + ": " + e.getMessage());
        }
        return names;
    }

    /**
     * What can be told of a JSON Lines or Parquet source {@code name} before ingest, or null: a Parquet file that is
     * none (no "PAR1" at its start, after any gzip), a JSON Lines file with no character but blanks (a byte order
     * mark aside), or one where no object has one of the {@code required} keys. A file that starts with "PAR1" is
     * read as Parquet whatever the format says. JSON Lines is read until every required key has been seen (the first
     * line, in a good file), so only a file that ingest would refuse is read whole. Said by {@code validate} and
     * before a run is recorded.
     */
    public static String shapeProblem(InputStream raw, String name, String format, Encoding encoding,
            List<String> required) throws IOException {
        SourceStreams.Opened opened = SourceStreams.open(raw);
        if (opened.parquet()) {
            return null;
        }
        if (format.equals("parquet")) {
            return name + " is not a Parquet file (it does not start with PAR1): name the file for its format (.csv, "
                    + ".tsv, .jsonl: a file's format follows its name while dataset.format is unset), or set "
                    + "dataset.format to csv or jsonl (it applies to every file of the data set)";
        }
        java.util.Set<String> keys = new java.util.TreeSet<>();
        JsonlRows.Lines lines = new JsonlRows.Lines(opened.in());
        boolean blank = true;
        boolean objects = false;
        boolean decoded = false;
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            for (byte b : line) {
                blank &= b == ' ' || b == '\t' || b == '\r';
            }
            objects |= JsonlRows.keysOf(line, encoding, required, keys);
            decoded |= encoding.decode(line) != null;
            if (keys.containsAll(required)) {
                return null;
            }
        }
        List<String> missing = required.stream().filter(k -> !keys.contains(k)).toList();
        if (blank) {
            return name + " is empty: no rows";
        }
        if (!objects) { // a CSV file read as JSON Lines (format set, or a .jsonl name): said now, not after a run
            return decoded ? name + ": no line of it is a JSON object, so it is not JSON Lines: name the file for its "
                    + "format (.csv, .tsv, .parquet: a file's format follows its name while dataset.format is unset), "
                    + "or set dataset.format (it applies to every file of the data set)" : null;
        }
        return keys.isEmpty() ? null : name + ": " + JsonlRows.inNoObject(missing, keys);
    }
}
