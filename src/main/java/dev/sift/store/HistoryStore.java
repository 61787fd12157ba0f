package dev.sift.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The queries of experiment history over many runs at once: the stored parameters of a set of runs. */
@ApplicationScoped
public class HistoryStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /** The stored parameters of each run that has them (runs from before they were stored are missing). */
    public Map<Long, SortedMap<String, Object>> params(Collection<Long> runIds) {
        Map<Long, SortedMap<String, Object>> out = new HashMap<>();
        Transactions.run(dataSource, "read run parameters", c -> {
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
        Transactions.run(dataSource, "find runs without parameters", c -> {
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
        Transactions.run(dataSource, "store run parameters", c -> {
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

    private static Object value(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        return n.isNumber() ? (Object) n.doubleValue() : n.isNull() ? null : n.asText();
    }
}
