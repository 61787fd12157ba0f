package dev.sift.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Parquet to rows through DuckDB's JDBC driver (in-process, natives inside its jar): {@code read_parquet} streamed
 * as a ResultSet, in file order, so memory stays bounded by DuckDB's row groups, not the file. Values are read as
 * text (a number as Java prints it, {@code 4} or {@code 0.5}); SQL NULL is an absent value, as JSON null is.
 *
 * <p>Rows are numbered like the lines of the same table written as CSV with a header: the first row is line 2. A
 * Parquet file and a CSV of the same rows (one line each) thus give the same prepared dataset, whose samples keep
 * their source line, and so the same sha256.
 */
final class ParquetRows {
    /** DuckDB's own memory for the scan (native, outside the Java heap). */
    static final String MEMORY_LIMIT = "512MB";

    private ParquetRows() {
    }

    static void read(Path file, String source, RowLayout layout, RowSink sink) {
        Properties p = new Properties();
        p.setProperty("jdbc_stream_results", "true");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", p); Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '" + MEMORY_LIMIT + "'");
            st.execute("SET preserve_insertion_order = true");
            st.setFetchSize(4096);
            try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('"
                    + file.toString().replace("'", "''") + "')")) {
                rows(rs, source, layout, sink);
            }
        } catch (SQLException e) {
            throw new Ingestor.SchemaException(source + ": cannot read as Parquet: " + firstLine(e.getMessage())
                    .replace(file.toString(), source));
        }
    }

    private static void rows(ResultSet rs, String source, RowLayout layout, RowSink sink) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            col.putIfAbsent(md.getColumnLabel(i), i);
        }
        for (String wanted : layout.wanted()) {
            if (!col.containsKey(wanted)) {
                throw new Ingestor.SchemaException(source + ": column '" + wanted + "' is not in the Parquet schema "
                        + "(has: " + String.join(", ", col.keySet()) + ")"
                        + SourceHeader.caseHint(List.of(wanted), col.keySet()));
            }
            String type = md.getColumnTypeName(col.get(wanted));
            if (type != null && (type.endsWith("]") || type.startsWith("STRUCT") || type.startsWith("MAP")
                    || type.startsWith("UNION"))) {
                throw new Ingestor.SchemaException(source + ": column '" + wanted + "' holds " + type + " values; "
                        + "Sift reads a single string or number per field");
            }
        }
        List<String> names = new ArrayList<>(col.keySet());
        int userIndex = layout.userColumn() == null ? -1 : names.indexOf(layout.userColumn());
        long line = 1;
        while (rs.next()) {
            line++;
            Map<String, String> values = new HashMap<>();
            List<byte[]> fields = new ArrayList<>(names.size());
            for (String name : names) {
                String v = rs.getString(col.get(name));
                if (v != null) {
                    values.put(name, v);
                }
                fields.add(v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8));
            }
            sink.row(values, line, 1, () -> layout.raw().csv(fields, userIndex, fields.size()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
