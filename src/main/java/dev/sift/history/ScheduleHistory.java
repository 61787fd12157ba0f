package dev.sift.history;

import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The runs of one schedule, as {@code sift schedule history NAME} shows them. */
@ApplicationScoped
public class ScheduleHistory {
    @Inject
    RunStore runs;

    /**
     * Latest first: the run, its firing's scheduled time (empty for a run by hand under the schedule's name), status,
     * start, end, seconds, and the node that ran it last (host and process; a recovered run names the node that
     * finished it). Runs of a removed schedule stay listed.
     */
    public Table runs(String schedule, int limit) {
        Table t = new Table(List.of("run", "fire_time", "status", "started", "finished", "seconds", "node"));
        for (RunEntity r : runs.runsOfSchedule(schedule, limit)) {
            Double seconds = r.finishedAt == null || r.startedAt == null ? null
                    : Duration.between(r.startedAt, r.finishedAt).toMillis() / 1000.0;
            t.add(r.id, text(r.fireTime), r.status.name(), text(r.startedAt), text(r.finishedAt), seconds,
                    r.ownerHost == null ? null : r.ownerHost + ":" + r.ownerPid);
        }
        return t;
    }

    private static String text(Instant i) {
        return Table.time(i);
    }
}
