package dev.sift.store;

import dev.sift.model.TrainingDynamics;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Training dynamics in PostgreSQL, one array row per epoch; writing replaces what a stage wrote before. */
@ApplicationScoped
public class DynamicsStore {
    @Inject
    Instance<AgroalDataSource> dataSource;

    public void replace(long runId, String stage, int iteration, TrainingDynamics d) {
        Transactions.run(dataSource.get(), "store training dynamics", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM training_dynamics WHERE run_id = ? AND stage = ? AND iteration = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, stage);
                ps.setInt(3, iteration);
                ps.executeUpdate();
            }
            Integer[] idx = new Integer[d.samples().length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = d.samples()[i];
            }
            Array samples = c.createArrayOf("integer", idx);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO training_dynamics (run_id, stage, "
                    + "iteration, epoch, sample_index, loss, p_true, correct, margin, el2n, tracin) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int e = 0; e < d.epochs(); e++) {
                    ps.setLong(1, runId);
                    ps.setString(2, stage);
                    ps.setInt(3, iteration);
                    ps.setInt(4, e + 1);
                    ps.setArray(5, samples);
                    ps.setArray(6, c.createArrayOf("real", box(d.loss()[e])));
                    ps.setArray(7, c.createArrayOf("real", box(d.pTrue()[e])));
                    Boolean[] ok = new Boolean[d.correct()[e].length];
                    for (int i = 0; i < ok.length; i++) {
                        ok[i] = d.correct()[e][i];
                    }
                    ps.setArray(8, c.createArrayOf("boolean", ok));
                    ps.setArray(9, d.margin() == null ? null : c.createArrayOf("real", box(d.margin()[e])));
                    ps.setArray(10, d.el2n() == null ? null : c.createArrayOf("real", box(d.el2n()[e])));
                    ps.setArray(11, d.tracin() == null ? null : c.createArrayOf("real", box(d.tracin()[e])));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    private static Float[] box(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /**
     * The dynamics a stage stored, or null when it stored none. Each array comes in PostgreSQL's binary array form
     * ({@code array_send}) and is decoded straight into primitives: through {@code getArray} a million-sample epoch
     * went through text, one string per element and a boxed array.
     */
    public TrainingDynamics read(long runId, String stage, int iteration) {
        List<float[]> loss = new ArrayList<>();
        List<float[]> pTrue = new ArrayList<>();
        List<boolean[]> correct = new ArrayList<>();
        List<float[]> margin = new ArrayList<>();
        List<float[]> el2n = new ArrayList<>();
        List<float[]> tracin = new ArrayList<>();
        int[] samples = null;
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT array_send(sample_index), array_send(loss), array_send(p_true), array_send(correct), "
                        + "array_send(margin), array_send(el2n), array_send(tracin) FROM training_dynamics "
                        + "WHERE run_id = ? AND stage = ? AND iteration = ? ORDER BY epoch")) {
            ps.setLong(1, runId);
            ps.setString(2, stage);
            ps.setInt(3, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (samples == null) {
                        samples = PgBinaryArray.ints(rs.getBytes(1));
                    }
                    loss.add(PgBinaryArray.floats(rs.getBytes(2)));
                    pTrue.add(PgBinaryArray.floats(rs.getBytes(3)));
                    correct.add(PgBinaryArray.booleans(rs.getBytes(4)));
                    margin = add(margin, rs.getBytes(5));
                    el2n = add(el2n, rs.getBytes(6));
                    tracin = add(tracin, rs.getBytes(7));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read training dynamics: " + e.getMessage(), e);
        }
        if (samples == null) {
            return null;
        }
        return new TrainingDynamics(samples, loss.toArray(new float[0][]), pTrue.toArray(new float[0][]),
                correct.toArray(new boolean[0][]), margin == null ? null : margin.toArray(new float[0][]),
                el2n == null ? null : el2n.toArray(new float[0][]),
                tracin == null ? null : tracin.toArray(new float[0][]));
    }

    /** Appends one epoch's optional array; the whole list becomes null once an epoch lacks it. */
    private static List<float[]> add(List<float[]> list, byte[] sent) {
        if (list == null || sent == null) {
            return null;
        }
        list.add(PgBinaryArray.floats(sent));
        return list;
    }

    /** Epoch numbers stored for a stage. */
    public List<Integer> epochs(long runId, String stage, int iteration) {
        List<Integer> out = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT epoch FROM training_dynamics WHERE run_id = ? AND stage = ? "
                        + "AND iteration = ? ORDER BY epoch")) {
            ps.setLong(1, runId);
            ps.setString(2, stage);
            ps.setInt(3, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
