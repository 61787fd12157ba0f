package dev.sift.store;

import dev.sift.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * One PostgreSQL advisory lock per schedule, held for the whole of a run of that schedule (fired by {@code sift serve}
 * or started by {@code sift run --schedule}), so a schedule never runs twice at once, whichever node or command starts
 * it. Session-level locks on connections of their own ({@link DatabaseSessions}): a process that dies frees them as
 * soon as PostgreSQL sees its connections close.
 */
@ApplicationScoped
public class ScheduleLocks {
    private static final Duration POLL = Duration.ofMillis(500);

    @Inject
    DatabaseSessions sessions;

    /**
     * The lock's key: the first 8 bytes of SHA-256 over {@code sift.schedule:NAME}, so other users of advisory locks
     * in the same database do not collide with Sift's by accident.
     */
    public static long key(String schedule) {
        byte[] digest = Sha256.digest().digest(("sift.schedule:" + schedule).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong();
    }

    /** The schedule's lock if no other session holds it, else empty (at once, no waiting). */
    public Optional<DatabaseSessions.Lock> tryLock(String schedule) {
        return sessions.tryTake(key(schedule), false, "the lock of schedule '" + schedule + "'");
    }

    /** The schedule's lock, trying every half second for at most {@code max}; empty if it stayed held. */
    public Optional<DatabaseSessions.Lock> tryLock(String schedule, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            Optional<DatabaseSessions.Lock> lock = tryLock(schedule);
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
}
