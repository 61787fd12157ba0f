package dev.sift.store;

import dev.sift.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lock between runs and {@code sift gc}: every process that executes a run (run, resume, a firing of sift serve)
 * holds it shared for as long as the run executes, and gc holds it exclusively while it lists and removes
 * unreferenced objects and weights. So gc never sees a stored object whose row a live run has yet to write (a
 * prepared dataset is written before its row, weights before the stage output that names them), and no run reuses a
 * content-addressed object that gc is removing. A session-level advisory lock ({@link DatabaseSessions}): a process
 * killed with SIGKILL frees it when PostgreSQL sees its connection close, so a killed run does not block gc.
 */
@ApplicationScoped
public class StoreLock {
    /** The first 8 bytes of SHA-256 over {@code sift.store}, as {@link ScheduleLocks#key} derives its keys. */
    static final long KEY = ByteBuffer.wrap(Sha256.digest().digest("sift.store".getBytes(StandardCharsets.UTF_8)))
            .getLong();
    private static final String WHAT = "the store lock";

    @Inject
    DatabaseSessions sessions;

    /** The lock shared with other runs; waits while gc holds it (gc's hold is short). */
    public DatabaseSessions.Lock shared() {
        return sessions.take(KEY, true, WHAT);
    }

    /** The lock alone, if no run holds it now (at once, no waiting); else empty. */
    public Optional<DatabaseSessions.Lock> tryExclusive() {
        return sessions.tryTake(KEY, false, WHAT);
    }
}
