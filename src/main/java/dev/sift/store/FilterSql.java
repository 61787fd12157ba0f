package dev.sift.store;

import dev.sift.store.RunQuery.And;
import dev.sift.store.RunQuery.Compare;
import dev.sift.store.RunQuery.Filter;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Not;
import dev.sift.store.RunQuery.Or;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for a {@link RunQuery} over {@code run r}, written from fixed fragments only: key names (parameter names,
 * subsets, metric names) and values go into {@link #binds}, in the order of their {@code ?} in the text. Every
 * comparison is wrapped in {@code COALESCE(..., FALSE)}, so a run that lacks a key fails the comparison and
 * {@code not} of it holds: two-valued logic, as a reader expects.
 */
final class FilterSql {
    /**
     * The latest iteration's mean test value of one subset's metric; binds subset and name. NaN (a metric that could
     * not be computed) reads as no value: PostgreSQL orders NaN above every number, so it would pass every
     * {@code >} and lead every descending order. An iteration whose evaluate stage is under way, failed or was
     * interrupted is passed over: the rows it stored so far are some seeds' or subsets' only, until a resume
     * replaces them.
     */
    static final String METRIC = "(SELECT NULLIF(m.value, CAST('NaN' AS double precision)) FROM metric m WHERE m.run_id = r.id AND m.split = 'test' "
            + "AND m.seed IS NULL AND m.subset = ? AND m.name = ? AND NOT EXISTS (SELECT 1 FROM stage_run s "
            + "WHERE s.run_id = r.id AND s.iteration = m.iteration AND s.stage = 'evaluate' "
            + "AND s.status <> 'SUCCEEDED') ORDER BY m.iteration DESC LIMIT 1)";
    /** A parameter as JSON (numbers order as numbers); binds its name. */
    static final String PARAM_JSON = "(r.params -> CAST(? AS text))";
    /** A numeric parameter as a number, else NULL; binds its name twice. */
    static final String PARAM_NUMBER = "(CASE WHEN jsonb_typeof(r.params -> CAST(? AS text)) = 'number' "
            + "THEN CAST(r.params ->> CAST(? AS text) AS double precision) END)";
    /** A string parameter as text in code point order, else NULL; binds its name twice. */
    static final String PARAM_TEXT = "(CASE WHEN jsonb_typeof(r.params -> CAST(? AS text)) = 'string' "
            + "THEN r.params ->> CAST(? AS text) END) COLLATE \"C\"";

    final StringBuilder sql = new StringBuilder();
    final List<Object> binds = new ArrayList<>();

    FilterSql append(String text) {
        sql.append(text);
        return this;
    }

    void filter(Filter f) {
        if (f instanceof And a) {
            both(a.left(), " AND ", a.right());
        } else if (f instanceof Or o) {
            both(o.left(), " OR ", o.right());
        } else if (f instanceof Not n) {
            sql.append("(NOT ");
            filter(n.inner());
            sql.append(')');
        } else {
            compare((Compare) f);
        }
    }

    private void both(Filter left, String operator, Filter right) {
        sql.append('(');
        filter(left);
        sql.append(operator);
        filter(right);
        sql.append(')');
    }

    private void compare(Compare c) {
        sql.append("COALESCE(");
        Key k = c.key();
        switch (k.field()) {
            case STATUS -> sql.append("r.status COLLATE \"C\"");
            case WORKFLOW -> sql.append("r.workflow COLLATE \"C\"");
            case NAME -> sql.append("r.name COLLATE \"C\"");
            case CREATED -> sql.append("r.created_at");
            case METRIC -> metric(k);
            case PARAM -> {
                sql.append(c.value() instanceof Double ? PARAM_NUMBER : PARAM_TEXT);
                binds.add(k.name());
                binds.add(k.name());
            }
        }
        check(k, c.value());
        sql.append(' ').append(c.op().sql).append(" ?, FALSE)");
        binds.add(c.value());
    }

    private static void check(Key k, Object value) {
        boolean ok = switch (k.field()) {
            case STATUS, WORKFLOW, NAME -> value instanceof String;
            case CREATED -> value instanceof Instant;
            case METRIC -> value instanceof Double;
            case PARAM -> value instanceof Double || value instanceof String;
        };
        if (!ok) {
            throw new IllegalArgumentException(k.label() + " cannot be compared with " + value);
        }
    }

    private void metric(Key k) {
        sql.append(METRIC);
        binds.add(k.subset());
        binds.add(k.name());
    }

    /** A shown (or ordered-by) column: metrics as numbers, parameters as JSON, the rest as they are stored. */
    void column(Key k) {
        switch (k.field()) {
            case STATUS -> sql.append("r.status COLLATE \"C\"");
            case WORKFLOW -> sql.append("r.workflow COLLATE \"C\"");
            case NAME -> sql.append("r.name COLLATE \"C\"");
            case CREATED -> sql.append("r.created_at");
            case METRIC -> metric(k);
            case PARAM -> {
                sql.append(PARAM_JSON);
                binds.add(k.name());
            }
        }
    }

    /**
     * The ORDER BY terms of an ordering ({@code column}: the key's 1-based position in the select list, for
     * metrics): a parameter orders numbers numerically, then strings in code point order; missing values come last.
     */
    void order(RunQuery.Order o, int column) {
        String dir = o.descending() ? " DESC NULLS LAST, " : " ASC NULLS LAST, ";
        Key k = o.key();
        switch (k.field()) {
            case METRIC -> sql.append(column).append(dir);
            case PARAM -> {
                sql.append(PARAM_NUMBER).append(dir).append(PARAM_TEXT).append(dir);
                binds.addAll(List.of(k.name(), k.name(), k.name(), k.name()));
            }
            default -> {
                column(k);
                sql.append(dir);
            }
        }
    }

    void bind(PreparedStatement ps) throws SQLException {
        for (int i = 0; i < binds.size(); i++) {
            Object v = binds.get(i);
            if (v instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else if (v instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (v instanceof Instant t) {
                ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            } else {
                ps.setString(i + 1, (String) v);
            }
        }
    }
}
