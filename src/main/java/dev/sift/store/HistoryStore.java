package dev.sift.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.store.RunQuery.Field;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Query;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The queries of experiment history over many runs at once: a filtered, ordered listing ({@link RunQuery}), and
 * the parameters, test metrics, comparisons and finished stages of a set of runs, each in one statement.
 */
@ApplicationScoped
public class HistoryStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Instance<AgroalDataSource> dataSource;

    /**
     * One run of a listing (its row as a detached entity), how many of its stages finished, and the values of the
     * query's shown keys in their order (null where it lacks one).
     */
    /** {@code workMs}: the sum of the run's stage durations (each stage's last attempt), null before any ended. */
    public record Row(RunEntity run, long stagesDone, Long workMs, List<Object> shown) {
        public long id() {
            return run.id;
        }
    }

    /** The run columns a listing reads, then the finished stages (evaluated only for the rows returned). */
    private static final String RUN_COLUMNS = "SELECT r.id, r.name, r.workflow, r.status, r.created_at, r.started_at, "
            + "r.finished_at, r.owner_host, r.owner_pid, (SELECT count(*) FROM stage_run s WHERE s.run_id = r.id "
            + "AND s.status = 'SUCCEEDED'), (SELECT sum(s.duration_ms) FROM stage_run s WHERE s.run_id = r.id)";
    /** Columns before the shown keys. */
    private static final int FIXED = 11;

    /** A mean-over-seeds test metric of one run. */
    public record MetricRow(long runId, int iteration, String subset, String name, double value) {
    }

    /** The runs a query selects, in its order: one statement. */
    public List<Row> search(Query q) {
        FilterSql s = new FilterSql().append(RUN_COLUMNS);
        List<Key> columns = new ArrayList<>(q.show());
        if (q.order() != null && q.order().key().field() == Field.METRIC && !columns.contains(q.order().key())) {
            // ordered by its position in the select list, so the subquery runs once per run
            columns.add(q.order().key());
        }
        for (Key k : columns) {
            s.append(", ");
            s.column(k);
        }
        s.append(" FROM run r");
        if (q.filter() != null) {
            s.append(" WHERE ");
            s.filter(q.filter());
        }
        s.append(" ORDER BY ");
        if (q.order() != null) {
            s.order(q.order(), columns.indexOf(q.order().key()) + FIXED + 1);
        }
        s.append("r.id DESC LIMIT ?");
        s.binds.add(q.limit());
        List<Row> out = new ArrayList<>();
        Transactions.run(dataSource.get(), "list runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(s.sql.toString())) {
                s.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        List<Object> shown = new ArrayList<>();
                        for (int i = 0; i < q.show().size(); i++) {
                            shown.add(shownValue(q.show().get(i), rs, FIXED + 1 + i));
                        }
                        long work = rs.getLong(FIXED);
                        Long workMs = rs.wasNull() ? null : work;
                        out.add(new Row(run(rs), rs.getLong(FIXED - 1), workMs, shown));
                    }
                }
            }
        });
        return out;
    }

    private static RunEntity run(ResultSet rs) throws SQLException {
        RunEntity r = new RunEntity();
        r.id = rs.getLong(1);
        r.name = rs.getString(2);
        r.workflow = rs.getString(3);
        r.status = RunEntity.Status.valueOf(rs.getString(4));
        r.createdAt = instant(rs, 5);
        r.startedAt = instant(rs, 6);
        r.finishedAt = instant(rs, 7);
        r.ownerHost = rs.getString(8);
        long pid = rs.getLong(9);
        r.ownerPid = rs.wasNull() ? null : pid;
        return r;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Object shownValue(Key k, ResultSet rs, int column) throws SQLException {
        return switch (k.field()) {
            case METRIC -> {
                double v = rs.getDouble(column);
                yield rs.wasNull() ? null : v;
            }
            case PARAM -> decode(rs.getString(column));
            case CREATED -> instant(rs, column);
            default -> rs.getString(column);
        };
    }

    /** The stored parameters of each run that has them (runs from before they were stored are missing). */
    public Map<Long, SortedMap<String, Object>> params(Collection<Long> runIds) {
        Map<Long, SortedMap<String, Object>> out = new HashMap<>();
        Transactions.run(dataSource.get(), "read run parameters", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, params::text FROM run WHERE id = ANY(?) "
                    + "AND params IS NOT NULL")) {
                ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), decodeMap(rs.getString(2)));
                    }
                }
            }
        });
        return out;
    }

    /** Runs whose parameters were never stored (created before migration V10), with their stored workflow. */
    public Map<Long, String> withoutParams() {
        Map<Long, String> out = new LinkedHashMap<>();
        Transactions.run(dataSource.get(), "find runs without parameters", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, spec_yaml FROM run WHERE params IS NULL "
                    + "ORDER BY id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
        });
        return out;
    }

    /** Stores runs' parameters where none are stored yet. */
    public void storeParams(Map<Long, ? extends Map<String, Object>> byRun) {
        Transactions.run(dataSource.get(), "store run parameters", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE run SET params = CAST(? AS jsonb) WHERE id = ? "
                    + "AND params IS NULL")) {
                for (var e : byRun.entrySet()) {
                    ps.setString(1, json(e.getValue()));
                    ps.setLong(2, e.getKey());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** The runs' mean-over-seeds test metrics, by run, iteration, subset and name. */
    public List<MetricRow> testMetrics(Collection<Long> runIds) {
        List<MetricRow> out = new ArrayList<>();
        Transactions.run(dataSource.get(), "read metrics", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, iteration, subset, name, value FROM metric m "
                    + "WHERE run_id = ANY(?) AND split = 'test' AND seed IS NULL ORDER BY run_id, iteration, subset, "
                    + "name")) {
                ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MetricRow(rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                                rs.getDouble(5)));
                    }
                }
            }
        });
        return out;
    }

    /** The runs' comparisons of {@code subset} with {@code baseline}, by run, then iteration and metric. */
    public Map<Long, List<MetricStore.Comparison>> comparisons(Collection<Long> runIds, String subset,
            String baseline) {
        Map<Long, List<MetricStore.Comparison>> out = new TreeMap<>();
        Transactions.run(dataSource.get(), "read comparisons", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, iteration, metric, delta, lo, hi, seeds, "
                    + "queries, resamples FROM comparison WHERE run_id = ANY(?) AND subset = ? AND baseline = ? "
                    + "ORDER BY run_id, iteration, metric")) {
                ps.setArray(1, c.createArrayOf("bigint", runIds.toArray()));
                ps.setString(2, subset);
                ps.setString(3, baseline);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new MetricStore.Comparison(
                                rs.getInt(2), rs.getString(3), subset, baseline, rs.getDouble(4), nullable(rs, 5),
                                nullable(rs, 6), rs.getInt(7), rs.getInt(8), rs.getInt(9)));
                    }
                }
            }
        });
        return out;
    }

    private static double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    /** Parameters as the JSON object stored in {@code run.params}. */
    static String json(Map<String, Object> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write parameters as JSON: " + e.getMessage(), e);
        }
    }

    private static SortedMap<String, Object> decodeMap(String json) {
        SortedMap<String, Object> out = new TreeMap<>();
        try {
            JSON.readTree(json).fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored parameters are not JSON: " + e.getMessage(), e);
        }
        return out;
    }

    private static Object decode(String json) {
        if (json == null) {
            return null;
        }
        try {
            return value(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            return json;
        }
    }

    private static Object value(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.longValue();
        } // a larger one is a double that PostgreSQL wrote without its exponent (1e20 as 100000000000000000000)
        return n.isNumber() ? (Object) n.doubleValue() : n.isNull() ? null : n.asText();
    }
}
