package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sessions of this process with the configured PostgreSQL outside the connection pool, and what happens when the
 * database goes away under a run.
 * <ul>
 * <li>Advisory locks (the store lock, a schedule's lock, a shard's lock): session-level, each on a connection of
 * its own, so a lock lives exactly as long as its connection; a process killed with SIGKILL frees its locks as soon
 * as PostgreSQL sees the connections close, and no locked session can go back into a pool.</li>
 * <li>An outage: {@link #isLoss} tells a lost connection from other errors, {@link #awaitBack} waits with backoff for
 * at most {@code sift.db.retry-seconds} until the database answers again, and {@link #retake} takes again every
 * lock whose session the outage ended (a restarted server forgets them all).</li>
 * </ul>
 */
@ApplicationScoped
public class DatabaseSessions {
    /** SQLSTATEs of a connection lost or refused: class 08, and the server shutting down or starting up. */
    private static final Set<String> LOST = Set.of("57P01", "57P02", "57P03");
    private static final long FIRST_WAIT_MS = 250;
    private static final long LONGEST_WAIT_MS = 4000;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;
    @ConfigProperty(name = "sift.db.retry-seconds", defaultValue = "60")
    int retrySeconds;
    @Inject
    Instance<AgroalDataSource> pool;

    private final Set<Lock> held = ConcurrentHashMap.newKeySet();

    /** A held advisory lock; closing it unlocks it and closes its connection. */
    public final class Lock implements AutoCloseable {
        private final long key;
        private final boolean shared;
        private final String what;
        private volatile Connection connection;

        private Lock(long key, boolean shared, String what, Connection connection) {
            this.key = key;
            this.shared = shared;
            this.what = what;
            this.connection = connection;
        }

        @Override
        public void close() {
            held.remove(this);
            try (Connection c = connection; PreparedStatement ps = c.prepareStatement(shared
                    ? "SELECT pg_advisory_unlock_shared(?)" : "SELECT pg_advisory_unlock(?)")) {
                ps.setLong(1, key);
                ps.execute();
            } catch (SQLException e) {
                // closing the connection (above, whatever happened) ends the session and with it the lock
            }
        }
    }

    /**
     * The lock with this key, if no other session holds it in a conflicting mode (at once, no waiting); else empty.
     * {@code what} names it in messages.
     */
    public Optional<Lock> tryTake(long key, boolean shared, String what) {
        return take(key, shared, false, what);
    }

    /** The lock with this key, waiting while another session holds it in a conflicting mode. */
    public Lock take(long key, boolean shared, String what) {
        return take(key, shared, true, what).orElseThrow();
    }

    private Optional<Lock> take(long key, boolean shared, boolean wait, String what) {
        String fn = (wait ? "pg_advisory_lock" : "pg_try_advisory_lock") + (shared ? "_shared" : "");
        Connection c = null;
        try {
            c = DatabaseProbe.connect(url, user.orElse(null), password.orElse(null));
            try (PreparedStatement ps = c.prepareStatement("SELECT " + fn + "(?)" + (wait ? ", true" : ""))) {
                ps.setLong(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(rs.getMetaData().getColumnCount())) {
                        return Optional.empty();
                    }
                }
            }
            Lock lock = new Lock(key, shared, what, c);
            held.add(lock);
            c = null;
            return Optional.of(lock);
        } catch (SQLException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot take " + what + ": "
                    + DatabaseProbe.firstLine(e.getMessage()), e);
        } finally {
            closeQuietly(c);
        }
    }

    /**
     * After an outage: every lock this process holds whose session ended is taken again on a new connection (a
     * shared one waits for an exclusive holder; an exclusive one does not wait). Returns what could not be taken
     * again because another session took it in the meantime; those locks are no longer held.
     */
    public synchronized List<String> retake() {
        List<String> lost = new ArrayList<>();
        for (Lock lock : List.copyOf(held)) {
            if (valid(lock.connection)) {
                continue;
            }
            closeQuietly(lock.connection);
            held.remove(lock);
            Optional<Lock> again = take(lock.key, lock.shared, lock.shared, lock.what);
            if (again.isPresent()) {
                lock.connection = again.get().connection;
                held.remove(again.get());
                held.add(lock);
            } else {
                lost.add(lock.what);
            }
        }
        return lost;
    }

    /**
     * Waits, trying again after 0.25, 0.5, 1, 2, 4, 4 ... seconds, until the database accepts a connection and
     * answers, for at most {@code sift.db.retry-seconds}; returns null when it did, else the last attempt's error.
     * Once it is back, the pool's connections, opened before the outage, are dropped as they come back (idle ones at
     * once), so the next transaction opens a new one.
     */
    String awaitBack() {
        long deadline = System.nanoTime() + retrySeconds * 1_000_000_000L;
        long wait = FIRST_WAIT_MS;
        while (true) {
            try {
                DatabaseProbe.check(url, user.orElse(null), password.orElse(null));
                pool.get().flush(AgroalDataSource.FlushMode.GRACEFUL);
                return null;
            } catch (SiftException e) {
                if (System.nanoTime() + wait * 1_000_000L > deadline) {
                    return DatabaseProbe.firstLine(UrlRedaction.scrub(rootMessage(e), url, password.orElse(null)));
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            wait = Math.min(LONGEST_WAIT_MS, wait * 2);
        }
    }

    /**
     * After {@code lost} (a lost connection, {@link #isLoss}) under {@code what} (e.g. {@code run 12}): says so, waits
     * for the database ({@link #awaitBack}) and takes this process's locks again ({@link #retake}), so the caller can
     * go on. Throws a one-line {@link SiftException} instead when {@code retry} is false or the database stays away
     * (exit code 3), or when another process took one of the locks meanwhile (exit code 4); either names
     * {@code resume}, the command that goes on later. Nothing is written while the database is away.
     */
    public void recover(String what, String resume, boolean retry, RuntimeException lost,
            java.util.function.Consumer<String> say) {
        String cause = DatabaseProbe.firstLine(UrlRedaction.scrub(rootMessage(lost), url, password.orElse(null)));
        say.accept(what + ": lost the database connection (" + cause + "); waiting up to " + retrySeconds
                + " s for it");
        if (!retry) {
            throw new SiftException(ExitCodes.ENVIRONMENT, what + " lost the database connection again (" + cause
                    + "), too often to go on; what it stored is kept: '" + resume + "' goes on", lost);
        }
        String error = awaitBack();
        if (error != null) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "database " + DatabaseProbe.redact(url) + " is not "
                    + "reachable (tried for " + retrySeconds + " s) while " + what + " was under way: " + error
                    + "; what it stored is kept: once the database is back, '" + resume + "'", lost);
        }
        List<String> taken = retake();
        if (!taken.isEmpty()) {
            throw new SiftException(ExitCodes.BUSY, what + " stopped after the database outage: another process "
                    + "took " + String.join(" and ", taken) + " meanwhile; '" + resume + "' goes on later", lost);
        }
        say.accept(what + ": the database is back; going on where it stopped");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * True when {@code e} or one of its causes says the connection to PostgreSQL was lost or refused (SQLSTATE class
     * 08, or the server shutting down or not yet accepting connections), rather than a statement failing.
     */
    public static boolean isLoss(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || LOST.contains(s.getSQLState()))) {
                return true;
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // nothing is locked on it any more
            }
        }
    }
}
