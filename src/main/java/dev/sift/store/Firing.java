package dev.sift.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The schedule a run belongs to and the scheduled time of the firing that started it; {@code fireTime} is null for a
 * manual {@code sift run --schedule NAME}. A firing has at most one run (a unique index on the run table).
 */
public record Firing(String schedule, Instant fireTime) {
    public Firing {
        Objects.requireNonNull(schedule, "schedule is null");
    }

    /** A run started by hand under a schedule's name (and its lock). */
    public static Firing manual(String schedule) {
        return new Firing(schedule, null);
    }
}
