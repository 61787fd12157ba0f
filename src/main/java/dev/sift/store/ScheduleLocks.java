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
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One PostgreSQL advisory lock per schedule, held for the whole of a run of that schedule (fired by {@code sift serve}
 * or started by {@code sift run --schedule}), so a schedule never runs twice at once, whichever node or command starts
 * it. Session-level locks, each on a connection of its own rather than one from the pool: the lock lives exactly as
 * long as that connection, so a process that dies frees it as soon as PostgreSQL sees the connection close, and no
 * locked session can go back into a pool.
 */
@ApplicationScoped
public class ScheduleLocks {
    private static final Duration POLL = Duration.ofMillis(500);

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** A held lock; closing it unlocks and closes its connection. */
    public static final class Lock implements AutoCloseable {
        private final Connection connection;
        private final long key;

        private Lock(Connection connection, long key) {
            this.connection = connection;
            this.key = key;
        }

        @Override
        public void close() {
            try (Connection c = connection; PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            } catch (SQLException e) {
                // closing the connection (above, whatever happened) ends the session and with it the lock
            }
        }
    }

    /**
     * The lock's key: the first 8 bytes of SHA-256 over {@code sift.schedule:NAME}, so other users of advisory locks
     * in the same database do not collide with Sift's by accident.
     */
    public static long key(String schedule) {
        byte[] digest = Sha256.digest().digest(("sift.schedule:" + schedule).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }

    /** The schedule's lock if no other session holds it, else empty (at once, no waiting). */
    public Optional<Lock> tryLock(String schedule) {
        long key = key(schedule);
        Connection c = null;
        try {
            c = DatabaseProbe.connect(url, user.orElse(null), password.orElse(null));
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        Lock lock = new Lock(c, key);
                        c = null;
                        return Optional.of(lock);
                    }
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot take the lock of schedule '" + schedule + "': "
                    + DatabaseProbe.firstLine(e.getMessage()), e);
        } finally {
            closeQuietly(c);
        }
    }

    /** The schedule's lock, trying every half second for at most {@code max}; empty if it stayed held. */
    public Optional<Lock> tryLock(String schedule, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<Lock> lock = tryLock(schedule);
            if (lock.isPresent() || System.nanoTime() >= deadline) {
                return lock;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // nothing was locked on it
            }
        }
    }
}
