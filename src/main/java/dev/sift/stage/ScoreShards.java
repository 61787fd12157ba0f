package dev.sift.stage;

import dev.sift.Sha256;
import dev.sift.model.Predictions;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.workflow.Shard;
import dev.sift.workflow.StageContext;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The slices of a sharded score stage: each shard's part of the scoring model's passes over the pool (class
 * probabilities, hidden activations, per-sample gradient norms when a method needs them) as one S3 object, and a
 * {@code score_shard} row saying it is there. A part names the weights and the pool it was computed for, so a part
 * left from other weights or another pool is never read. A shard run again overwrites its object and row.
 */
@ApplicationScoped
public class ScoreShards {
    private static final byte[] MAGIC = "SIFTSHD1".getBytes(StandardCharsets.US_ASCII);

    @Inject
    ObjectStore objects;
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** What the shards computed over the whole pool, in pool order; {@code gradNorms} null when not asked for. */
    public record Passes(Predictions predictions, double[] gradNorms) {
    }

    /** A digest of the pool's sample indices, in order. */
    static String poolDigest(int[] pool) {
        ByteBuffer b = ByteBuffer.allocate(pool.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : pool) {
            b.putInt(i);
        }
        return Sha256.hex(b.array());
    }

    /**
     * Stores one shard's part: samples [from, from + p.size()) of the pool, written row by row through a temporary
     * file (a part of a million MiniLM rows is 1.5 GB: never one array on the heap).
     */
    void store(StageContext ctx, Shard shard, String model, int[] pool, int from, Predictions p, double[] norms) {
        int n = p.size();
        int k = n == 0 ? 0 : p.probs()[0].length;
        int h = n == 0 ? 0 : p.hidden()[0].length;
        String key = key(ctx, shard);
        String sha = objects.putWritten(key, "sift-shard-", "application/octet-stream", out -> {
            ByteBuffer b = ByteBuffer.allocate(Math.max(8 + 128 + 6 * 4 + 2, 4 * (k + h))).order(ByteOrder.LITTLE_ENDIAN);
            b.put(MAGIC).put(model.getBytes(StandardCharsets.US_ASCII))
                    .put(poolDigest(pool).getBytes(StandardCharsets.US_ASCII));
            b.putInt(pool.length).putInt(from).putInt(n).putInt(k).putInt(h).putInt(0);
            b.put((byte) (norms == null ? 0 : 1)).put((byte) (p.regression() ? 1 : 0));
            out.write(b.array(), 0, b.position());
            for (int i = 0; i < n; i++) {
                b.clear();
                b.asFloatBuffer().put(p.probs()[i]).put(p.hidden()[i]);
                out.write(b.array(), 0, 4 * (k + h));
            }
            for (int i = 0; norms != null && i < n; i++) {
                b.clear();
                out.write(b.putDouble(norms[i]).array(), 0, 8);
            }
        });
        record(ctx, shard, from, n, key, sha);
    }

    private static String key(StageContext ctx, Shard shard) {
        return RunLayout.iteration(ctx.runId(), ctx.iteration(), "score-shard-" + shard.index() + "-of-"
                + shard.count() + ".bin");
    }

    private void record(StageContext ctx, Shard shard, int from, int n, String key, String sha) {
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO score_shard (run_id, iteration, shards, shard, first, count, object_key, sha256, host, "
                        + "pid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, iteration, shards, shard) "
                        + "DO UPDATE SET first = EXCLUDED.first, count = EXCLUDED.count, object_key = "
                        + "EXCLUDED.object_key, sha256 = EXCLUDED.sha256, host = EXCLUDED.host, pid = EXCLUDED.pid, "
                        + "finished_at = now()")) {
            ps.setLong(1, ctx.runId());
            ps.setInt(2, ctx.iteration());
            ps.setInt(3, shard.count());
            ps.setInt(4, shard.index());
            ps.setInt(5, from);
            ps.setInt(6, n);
            ps.setString(7, key);
            ps.setString(8, sha);
            ps.setString(9, RunStore.host());
            ps.setLong(10, ProcessHandle.current().pid());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record score shard " + shard + ": " + e.getMessage(), e);
        }
    }

    /** The shard counts of the run's iteration whose every shard is stored, newest set first. */
    List<Integer> completeCounts(long runId, int iteration) {
        List<Integer> out = new ArrayList<>();
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT shards FROM score_shard WHERE run_id = ? AND iteration = ? GROUP BY shards "
                        + "HAVING count(DISTINCT shard) = shards ORDER BY max(finished_at) DESC")) {
            ps.setLong(1, runId);
            ps.setInt(2, iteration);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read score shards: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The whole pool's passes put together from a complete set of parts computed with these weights for this pool
     * (checked against each part's header), or empty when no such set is stored.
     */
    Optional<Passes> assemble(StageContext ctx, String model, int[] pool) {
        for (int count : completeCounts(ctx.runId(), ctx.iteration())) {
            Passes p = read(ctx, count, model, pool);
            if (p != null) {
                ctx.console().info("  scoring passes read from " + count + " shards");
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private Passes read(StageContext ctx, int count, String model, int[] pool) {
        float[][] probs = new float[pool.length][];
        float[][] hidden = new float[pool.length][];
        double[][] norms = {null};
        boolean[] regression = {false};
        String poolSha = poolDigest(pool);
        for (int i = 0; i < count; i++) {
            String key = key(ctx, new Shard(i, count));
            if (!objects.exists(key)) {
                return null;
            }
            boolean first = i == 0;
            if (!objects.read(key, in -> readPart(new BufferedInputStream(in, 1 << 16), first, model + poolSha,
                    pool.length, probs, hidden, norms, regression))) {
                return null;
            }
        }
        for (float[] row : probs) {
            if (row == null) {
                return null; // the parts do not cover the pool
            }
        }
        return new Passes(new Predictions(probs, hidden, regression[0]), norms[0]);
    }

    /** Reads one part into the pool's arrays; false when it was computed for other weights, pool or methods. */
    private static boolean readPart(InputStream in, boolean first, String names, int poolSize, float[][] probs,
            float[][] hidden, double[][] norms, boolean[] regression) throws IOException {
        ByteBuffer head = ByteBuffer.wrap(in.readNBytes(8 + 128 + 6 * 4 + 2)).order(ByteOrder.LITTLE_ENDIAN);
        if (head.limit() < 8 + 128 + 6 * 4 + 2) {
            return false;
        }
        byte[] text = new byte[8 + 128];
        head.get(text);
        if (!new String(text, StandardCharsets.US_ASCII).equals("SIFTSHD1" + names) || head.getInt() != poolSize) {
            return false; // computed with other weights or for another pool
        }
        int from = head.getInt();
        int n = head.getInt();
        int k = head.getInt();
        int h = head.getInt();
        head.getInt();
        boolean hasNorms = head.get() == 1;
        regression[0] = head.get() == 1;
        if (first && hasNorms) {
            norms[0] = new double[poolSize];
        } else if (hasNorms != (norms[0] != null)) {
            return false; // parts computed for different methods
        }
        ByteBuffer row = ByteBuffer.allocate(4 * (k + h)).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = from; j < from + n; j++) {
            row.clear();
            if (in.readNBytes(row.array(), 0, row.capacity()) < row.capacity()) {
                return false; // a part cut short
            }
            probs[j] = new float[k];
            hidden[j] = new float[h];
            row.asFloatBuffer().get(probs[j]).get(hidden[j]);
        }
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = from; hasNorms && j < from + n; j++) {
            if (in.readNBytes(d.array(), 0, 8) < 8) {
                return false;
            }
            norms[0][j] = d.getDouble(0);
        }
        return true;
    }
}
