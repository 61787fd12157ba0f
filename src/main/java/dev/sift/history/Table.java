package dev.sift.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Rows of named columns, rendered as an aligned text table, CSV or JSON. */
public final class Table {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    public Table(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Columns the text table shows whole, never cut at {@link #MAX_CELL}: errors, paths. */
    private final java.util.Set<String> whole = new java.util.HashSet<>();

    /** Shows {@code names} whole in the text table (an error or a path cut at 120 characters would be lost). */
    public Table whole(String... names) {
        whole.addAll(List.of(names));
        return this;
    }

    public Table add(Object... values) {
        if (values.length != columns.size()) {
            throw new IllegalArgumentException("expected " + columns.size() + " values, got " + values.length);
        }
        rows.add(java.util.Arrays.asList(values));
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** The rows, each a list of values in column order (read-only). */
    public List<List<Object>> rows() {
        return java.util.Collections.unmodifiableList(rows);
    }

    /**
     * A value to show exactly as stored (a parameter such as a learning rate of 0.0003), not rounded to four places as
     * measurements are: a finite double becomes a {@link BigDecimal}, which every format prints in full.
     */
    public static Object exact(Object v) {
        return v instanceof Double d && Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros() : v;
    }

    /**
     * An interval end as every table shows it: blank (null in JSON) where no interval was drawn (too few test units),
     * not NaN, so {@code runs show} and {@code runs compare} say the same.
     */
    public static Double end(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /**
     * A value with a remark for people: the text table shows {@code value (note)}; CSV shows the value alone, and
     * JSON the value under the column's name and the note under {@code <column>_note}, so a program that reads the
     * column gets the value it expects.
     */
    public record Noted(Object value, String note) {
    }

    /** A yes-or-no cell: yes, no or n/a (null: no answer) in text and CSV; true, false or null in JSON. */
    public record YesNo(Boolean value) {
        public static YesNo of(boolean b) {
            return new YesNo(b);
        }

        /** Whether the interval [lo, hi] leaves out 0; no answer where there is no interval (NaN bounds). */
        public static YesNo excludesZero(double lo, double hi) {
            return new YesNo(Double.isNaN(lo) || Double.isNaN(hi) ? null : Protocol.excludesZero(lo, hi));
        }

        @Override
        public String toString() {
            return value == null ? "n/a" : value ? "yes" : "no";
        }
    }

    /** A long value (a digest) that the text table shortens to its first {@code shown} characters; CSV, JSON whole. */
    public record Abbreviated(String full, int shown) {
        @Override
        public String toString() {
            return full;
        }
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Noted n) {
            return n.value() == null ? "(" + printable(n.note()) + ")"
                    : cell(n.value()) + " (" + printable(n.note()) + ")";
        }
        if (v instanceof Abbreviated a) {
            return printable(a.full().substring(0, Math.min(a.shown(), a.full().length())));
        }
        if (v instanceof Double d) {
            return decimal(d);
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString(); // exact values (parameters), not rounded as measurements are
        }
        return printable(v.toString());
    }

    /**
     * A measurement as the text table shows it, never with an exponent: four decimals; below 0.001 three significant
     * digits (an RMSE of 0.0005 is 0.000500, not 0.0005 or 0.0000; -0.0 is 0.0000); from a million on the
     * integer rounded to seven significant digits (1e20 is 100000000000000000000, not the double's binary
     * expansion). CSV and JSON keep every digit.
     */
    static String decimal(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        double a = Math.abs(d);
        if (a == 0) {
            return "0.0000";
        }
        if (a < 0.001 || a >= 1e6) {
            BigDecimal b = new BigDecimal(d).round(new java.math.MathContext(a < 1 ? 3 : 7));
            return (a < 1 ? b : b.setScale(0, java.math.RoundingMode.HALF_EVEN)).toPlainString();
        }
        return String.format(java.util.Locale.ROOT, "%.4f", d);
    }

    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);

    /**
     * A time in UTC to the millisecond, always with three decimals (Instant's own text drops trailing zeros and shows
     * microseconds where the database kept them, so one column mixed 14:36:03.860Z and 14:36:05.123456Z), or null.
     */
    public static String time(java.time.Instant i) {
        return i == null ? null : MILLIS.format(i);
    }

    /** {@link dev.sift.data.Text#printable}. */
    public static String printable(String s) {
        return dev.sift.data.Text.printable(s);
    }

    /** The widest a text table's cell is shown; CSV and JSON carry the value whole. */
    static final int MAX_CELL = 120;

    /**
     * A cell as the text table shows it: line breaks and tabs as a space (they were deleted, joining two lines' words),
     * and past {@link #MAX_CELL} characters cut with "..." (a probe's 100 KB titles made every line of
     * {@code runs diff-subsets} 100,181 characters wide).
     */
    static String shown(Object v, boolean cut) {
        String s = cell(v instanceof String t ? t.replaceAll("[\\r\\n\\t]+", " ") : v);
        return cut ? Text.cut(s, MAX_CELL) : s;
    }

    public String text() {
        int[] w = new int[columns.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = Text.cells(columns.get(c));
            for (List<Object> r : rows) {
                w[c] = Math.max(w[c], Text.cells(shown(r.get(c), !whole.contains(columns.get(c)))));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, columns.stream().map(x -> (Object) x).toList(), w, whole(w.length));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < w.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        sb.append(rule).append('\n');
        for (List<Object> r : rows) {
            line(sb, r, w, whole(w.length));
        }
        return sb.toString();
    }

    /** Which columns, by position, are shown whole. */
    private boolean[] whole(int n) {
        boolean[] out = new boolean[n];
        for (int c = 0; c < n; c++) {
            out[c] = whole.contains(columns.get(c));
        }
        return out;
    }

    private static void line(StringBuilder sb, List<Object> values, int[] w, boolean[] whole) {
        for (int c = 0; c < w.length; c++) {
            Object v = values.get(c);
            String s = shown(v, !whole[c]);
            boolean right = v instanceof Number;
            if (c > 0) {
                sb.append("  ");
            }
            String pad = " ".repeat(w[c] - Text.cells(s)); // cells, not chars: wide and combining characters align
            sb.append(right ? pad + s : s + pad);
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    public String csv() {
        StringBuilder sb = new StringBuilder(String.join(",", columns.stream().map(Text::csv).toList())).append('\n');
        for (List<Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (Object cellValue : r) {
                Object v = cellValue instanceof Noted n ? n.value() : cellValue;
                cells.add(Text.csv(v instanceof Double d ? (Double.isNaN(d) ? "" : plain(d))
                        : v instanceof BigDecimal b ? b.toPlainString() : v == null ? "" : v.toString()));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    /** Every digit of the double without exponent notation (8.4E-4 as 0.00084), as every spreadsheet reads it. */
    static String plain(double d) {
        String s = Double.toString(d);
        return s.indexOf('E') < 0 || !Double.isFinite(d) ? s : new BigDecimal(s).stripTrailingZeros().toPlainString();
    }

    public ArrayNode json() {
        ArrayNode a = JSON.createArrayNode();
        for (List<Object> r : rows) {
            ObjectNode o = a.addObject();
            for (int c = 0; c < columns.size(); c++) {
                Object v = r.get(c);
                String k = columns.get(c);
                String note = null;
                if (v instanceof Noted n) {
                    note = n.note();
                    v = n.value();
                }
                if (v == null || v instanceof YesNo y && y.value() == null) {
                    o.putNull(k);
                } else if (v instanceof YesNo y) {
                    o.put(k, y.value());
                } else if (v instanceof Double d) {
                    if (Double.isFinite(d)) {
                        o.put(k, d);
                    } else {
                        o.putNull(k);
                    }
                } else if (v instanceof Integer i) {
                    o.put(k, i);
                } else if (v instanceof Long l) {
                    o.put(k, l);
                } else if (v instanceof BigDecimal b) {
                    o.put(k, new BigDecimal(b.toPlainString())); // 10, not 1E+1
                } else {
                    o.put(k, v.toString());
                }
                if (note != null) {
                    o.put(k + "_note", note);
                }
            }
        }
        return a;
    }
}
