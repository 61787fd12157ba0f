package dev.sift.store;

import dev.sift.ArraySink;
import dev.sift.Sha256;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Model weights in PostgreSQL, content-addressed by sha256 and cut into chunks, so a checkpoint of any size
 * streams in and out without one huge bytea, and identical weights are stored once. Every read is checked
 * against the sha256 it was stored under.
 */
@ApplicationScoped
public class WeightStore {
    /** Chunk size; 1 MiB keeps rows small and each COPY of a checkpoint streaming. */
    static final int CHUNK = 1 << 20;

    @Inject
    Instance<AgroalDataSource> dataSource;

    /** Stores the bytes (no-op when the same sha256 is already stored) and returns their sha256. */
    public String put(byte[] bytes, String format) {
        String sha = Sha256.hex(bytes);
        int chunks = (bytes.length + CHUNK - 1) / CHUNK;
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false);
            try {
                int inserted;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_weights (sha256, size_bytes, "
                        + "format, chunks) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) {
                    ps.setString(1, sha);
                    ps.setLong(2, bytes.length);
                    ps.setString(3, format);
                    ps.setInt(4, chunks);
                    inserted = ps.executeUpdate();
                }
                if (inserted == 1) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO weight_chunk (sha256, seq, bytes) VALUES (?, ?, ?)")) {
                        for (int i = 0; i < chunks; i++) {
                            ps.setString(1, sha);
                            ps.setInt(2, i);
                            ps.setBytes(3, Arrays.copyOfRange(bytes, i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK)));
                            ps.executeUpdate();
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store weights " + sha + ": " + e.getMessage(), e);
        }
        return sha;
    }

    /** Whether weights with this sha256 are stored (their chunks are checked when they are read). */
    public boolean exists(String sha) {
        try (Connection c = dataSource.get().getConnection();
                var ps = c.prepareStatement("SELECT 1 FROM model_weights WHERE sha256 = ?")) {
            ps.setString(1, sha);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weights " + sha + ": " + e.getMessage(), e);
        }
    }

    /** The stored bytes, read chunk by chunk into one array of the stored size (no growing buffer, no copy). */
    public byte[] get(String sha) {
        long size = size(sha);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("weights " + sha + " have " + size + " bytes, more than one array holds");
        }
        ArraySink sink = new ArraySink(new byte[(int) size]);
        copyTo(sha, sink); // fails when the chunks do not add up to the stored size and hash
        return sink.bytes();
    }

    /** The stored size of the weights {@code sha} in bytes; fails when none are stored under it. */
    private long size(String sha) {
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT size_bytes FROM model_weights WHERE sha256 = ?")) {
            ps.setString(1, sha);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no weights stored under sha256 " + sha);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weights " + sha + ": " + e.getMessage(), e);
        }
    }

    /** Streams the weights chunk by chunk into {@code out}; fails if the bytes do not hash to {@code sha}. */
    public void copyTo(String sha, OutputStream out) {
        MessageDigest d = Sha256.digest();
        long expected = size(sha);
        long size = 0;
        try (Connection c = dataSource.get().getConnection()) {
            c.setAutoCommit(false); // lets the driver fetch chunk rows in batches instead of all at once
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT bytes FROM weight_chunk WHERE sha256 = ? ORDER BY seq")) {
                ps.setFetchSize(4);
                ps.setString(1, sha);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byte[] b = rs.getBytes(1);
                        d.update(b);
                        out.write(b);
                        size += b.length;
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read weights " + sha + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String got = Sha256.hex(d);
        if (size != expected || !got.equals(sha)) {
            throw new IllegalStateException("weights " + sha + " are corrupt: read " + size + " bytes hashing to "
                    + got);
        }
    }
}
