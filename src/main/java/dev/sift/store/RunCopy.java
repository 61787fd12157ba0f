package dev.sift.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies what one stage of one run stored into another run, for a stage the cache reuses: the rows of its tables
 * (replacing what the target run had there) and its objects under the run's prefix. Text columns and copied
 * objects have the source run's prefix {@code runs/<id>/} rewritten to the target's, so the copy refers to its own
 * objects, never to the source run's.
 */
@ApplicationScoped
public class RunCopy {
    @Inject
    Instance<AgroalDataSource> dataSource;
    @Inject
    ObjectStore objects;

    /** Rows of a run-keyed table: the table, and a condition on it besides the run (with {@code ?} parameters). */
    public record Rows(String table, String where, Object... params) {
    }

    /** The rows of the tables in {@code rows}, from run {@code from} to run {@code to}, in one transaction. */
    public void rows(long from, long to, List<Rows> rows) {
        Transactions.run(dataSource.get(), "copy cached rows from run " + from, c -> {
            // the source run stays while its rows are copied ('runs delete' waits); one deleted already stops the copy
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM run WHERE id = ? FOR KEY SHARE")) {
                ps.setLong(1, from);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("run " + from + " was deleted");
                    }
                }
            }
            for (Rows r : rows) {
                copy(c, from, to, r);
            }
        });
    }

    private static void copy(Connection c, long from, long to, Rows r) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM " + r.table() + " WHERE run_id = ? AND "
                + r.where())) {
            del.setLong(1, to);
            bind(del, 2, r.params());
            del.executeUpdate();
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String[] col : columns(c, r.table())) {
            names.add(col[0]);
            // a text column may name one of the source run's objects: it names the target's copy instead
            values.add(col[1].equals("text") ? "replace(" + col[0] + ", ?, ?)" : col[0]);
        }
        String sql = "INSERT INTO " + r.table() + " (run_id, " + String.join(", ", names) + ") SELECT ?, "
                + String.join(", ", values) + " FROM " + r.table() + " WHERE run_id = ? AND " + r.where();
        try (PreparedStatement ins = c.prepareStatement(sql)) {
            int p = 1;
            ins.setLong(p++, to);
            for (String v : values) {
                if (v.startsWith("replace(")) {
                    ins.setString(p++, prefix(from));
                    ins.setString(p++, prefix(to));
                }
            }
            ins.setLong(p++, from);
            bind(ins, p, r.params());
            ins.executeUpdate();
        }
    }

    /** The table's columns but the run id and generated ids: name and data type. */
    private static List<String[]> columns(Connection c, String table) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, column_default "
                + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? "
                + "ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    String def = rs.getString(3);
                    if (name.equals("run_id") || (def != null && def.startsWith("nextval("))) {
                        continue;
                    }
                    out.add(new String[] {name, rs.getString(2)});
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no table " + table);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, int first, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(first + i, params[i]);
        }
    }

    /** Copies the objects at these keys of run {@code from} (those that exist) to the same keys of run {@code to}. */
    public void objects(long from, long to, List<String> keysOfFrom) {
        for (String key : keysOfFrom) {
            if (objects.exists(key)) {
                objects.copy(key, remap(key, from, to));
            }
        }
    }

    /** {@code text} with the source run's object prefix replaced by the target run's. */
    public static String remap(String text, long from, long to) {
        return text.replace(prefix(from), prefix(to));
    }

    private static String prefix(long runId) {
        return "runs/" + runId + "/";
    }
}
