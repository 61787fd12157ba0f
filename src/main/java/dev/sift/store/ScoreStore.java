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
import java.util.Arrays;
import java.util.List;
import org.postgresql.jdbc.PgConnection;

/**
 * Per-sample scores, stored as arrays: one row per run, iteration, method and chunk of {@link #CHUNK} samples
 * ({@code score_vector}; the view {@code sample_score} shows one row per sample). Writing a method's scores for an
 * iteration replaces what was there in the same transaction, so a re-run stage never duplicates rows.
 */
@ApplicationScoped
public class ScoreStore {
    /** Samples per stored row: a row's arrays stay far below PostgreSQL's 1 GB field limit. */
    static final int CHUNK = 1 << 20;

    @Inject
    Instance<AgroalDataSource> dataSource;

    /** One stored score. */
    public record Row(int sampleIndex, double score, double weight) {
    }

    public void replace(long runId, int iteration, String method, int[] sampleIndex, double[] score,
            double[] weight) {
        if (score.length != sampleIndex.length || weight.length != sampleIndex.length) {
            throw new IllegalArgumentException("scores of " + method + ": " + sampleIndex.length + " samples, "
                    + score.length + " scores, " + weight.length + " weights");
        }
        Transactions.run(dataSource.get(), "store scores", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM score_vector WHERE run_id = ? AND iteration = ? AND method = ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, iteration);
                ps.setString(3, method);
                ps.executeUpdate();
            }
            PgConnection pg = c.unwrap(PgConnection.class);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO score_vector (run_id, iteration, method, "
                    + "chunk, sample_index, score, weight) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int start = 0, chunk = 0; start < sampleIndex.length || chunk == 0; start += CHUNK, chunk++) {
                    int end = Math.min(sampleIndex.length, start + CHUNK);
                    ps.setLong(1, runId);
                    ps.setInt(2, iteration);
                    ps.setString(3, method);
                    ps.setInt(4, chunk);
                    ps.setArray(5, pg.createArrayOf("int4", Arrays.copyOfRange(sampleIndex, start, end)));
                    ps.setArray(6, pg.createArrayOf("float8", Arrays.copyOfRange(score, start, end)));
                    ps.setArray(7, pg.createArrayOf("float8", Arrays.copyOfRange(weight, start, end)));
                    ps.executeUpdate();
                }
            }
        });
    }

    /** Scores of one method in one iteration, ordered by sample index. */
    public List<Row> read(long runId, int iteration, String method) {
        List<Row> rows = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sample_index, score, weight FROM score_vector WHERE run_id = ? AND iteration = ? "
                        + "AND method = ? ORDER BY chunk")) {
            ps.setLong(1, runId);
            ps.setInt(2, iteration);
            ps.setString(3, method);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer[] index = (Integer[]) rs.getArray(1).getArray();
                    Double[] score = (Double[]) rs.getArray(2).getArray();
                    Double[] weight = (Double[]) rs.getArray(3).getArray();
                    for (int i = 0; i < index.length; i++) {
                        rows.add(new Row(index[i], score[i], weight[i]));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read scores: " + e.getMessage(), e);
        }
        rows.sort(java.util.Comparator.comparingInt(Row::sampleIndex));
        return rows;
    }

    /**
     * Every method's scores of these samples in one iteration: method -> sample index -> score. One statement, the
     * samples bound as an array.
     */
    public java.util.Map<String, java.util.Map<Integer, Double>> scoresOf(long runId, int iteration, int[] samples) {
        java.util.Map<String, java.util.Map<Integer, Double>> out = new java.util.TreeMap<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT method, sample_index, score FROM sample_score WHERE run_id = ? AND iteration = ? "
                        + "AND sample_index = ANY(?) ORDER BY method, sample_index")) {
            ps.setLong(1, runId);
            ps.setInt(2, iteration);
            ps.setArray(3, c.createArrayOf("integer", java.util.Arrays.stream(samples).boxed().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new java.util.HashMap<>()).put(rs.getInt(2),
                            rs.getDouble(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read scores: " + e.getMessage(), e);
        }
        return out;
    }

    /** Number of stored score rows of a run (all methods and iterations). */
    public long count(long runId) {
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT coalesce(sum(cardinality(sample_index)), 0) FROM score_vector WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the flagged samples and suggested classes of one iteration. */
    public void replaceSuggestions(long runId, int iteration, int[] sampleIndex, int[] suggestedClass,
            double[] quality) {
        Transactions.run(dataSource.get(), "store label suggestions", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM label_suggestion WHERE run_id = ? AND iteration = ?")) {
                ps.setLong(1, runId);
                ps.setInt(2, iteration);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO label_suggestion (run_id, iteration, "
                    + "sample_index, suggested_class, quality) VALUES (?, ?, ?, ?, ?)")) {
                for (int i = 0; i < sampleIndex.length; i++) {
                    ps.setLong(1, runId);
                    ps.setInt(2, iteration);
                    ps.setInt(3, sampleIndex[i]);
                    ps.setInt(4, suggestedClass[i]);
                    ps.setDouble(5, quality[i]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /** The samples confident learning flagged in one iteration of a run, each with the class it suggests. */
    public java.util.Map<Integer, Integer> suggestions(long runId, int iteration) {
        java.util.Map<Integer, Integer> out = new java.util.HashMap<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT sample_index, suggested_class FROM label_suggestion WHERE run_id = ? AND iteration = ?")) {
            ps.setLong(1, runId);
            ps.setInt(2, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Methods with scores in one iteration of a run. */
    public List<String> methods(long runId, int iteration) {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT method FROM score_vector WHERE run_id = ? AND iteration = ? ORDER BY method")) {
            ps.setLong(1, runId);
            ps.setInt(2, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
