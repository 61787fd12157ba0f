package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.Sha256;
import dev.sift.SiftException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lock between runs and {@code sift gc}: every process that executes a run (run, resume, a firing of sift serve)
 * holds it shared for as long as the run executes, and gc holds it exclusively while it lists and removes
 * unreferenced objects and weights. So gc never sees a stored object whose row a live run has yet to write (a
 * prepared dataset is written before its row, weights before the stage output that names them), and no run reuses a
 * content-addressed object that gc is removing. A PostgreSQL session-level advisory lock, on a connection of its own:
 * a process killed with SIGKILL frees it when PostgreSQL sees its connection close, so a killed run does not block gc.
 */
@ApplicationScoped
public class StoreLock {
    /** The first 8 bytes of SHA-256 over {@code sift.store}, as {@link ScheduleLocks#key} derives its keys. */
    static final long KEY = ByteBuffer.wrap(Sha256.digest().digest("sift.store".getBytes(StandardCharsets.UTF_8)))
            .getLong();

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** A held lock; closing it ends its session and with it the lock. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (SQLException e) {
                // the session is gone either way, and with it the lock
            }
        }
    }

    /** The lock shared with other runs; waits while gc holds it (gc's hold is short). */
    public Held shared() {
        return take("SELECT pg_advisory_lock_shared(?), true").orElseThrow();
    }

    /** The lock alone, if no run holds it now (at once, no waiting); else empty. */
    public Optional<Held> tryExclusive() {
        return take("SELECT pg_try_advisory_lock(?)");
    }

    private Optional<Held> take(String sql) {
        Connection c = null;
        try {
            c = DatabaseProbe.connect(url, user.orElse(null), password.orElse(null));
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(rs.getMetaData().getColumnCount())) {
                        return Optional.empty();
                    }
                }
            }
            Held held = new Held(c);
            c = null;
            return Optional.of(held);
        } catch (SQLException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot take the store lock: "
                    + DatabaseProbe.firstLine(e.getMessage()), e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // nothing was locked on it
                }
            }
        }
    }
}
