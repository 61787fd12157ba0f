package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Deletes runs' rows: their stages, iterations, metrics, scores, dynamics and the rest go with them (every run-keyed
 * table references the run ON DELETE CASCADE). What they stored outside their rows (objects under {@code runs/ID/},
 * weights no stage output names any more) is left for {@code sift gc}, which finds it unreferenced; a prepared
 * dataset has a row of its own, which other runs may share, and stays.
 */
@ApplicationScoped
public class RunRemoval {
    @Inject
    Instance<AgroalDataSource> dataSource;

    /**
     * Why a run may not be deleted, or null: a RUNNING run whose process lives, or runs on a machine this one cannot
     * check (an AWS Batch job's), is under way; a RUNNING run whose process is gone ({@link RunStore#stale}) may go.
     */
    public static String refusal(RunEntity r) {
        if (r.status != RunEntity.Status.RUNNING || RunStore.stale(r)) {
            return null;
        }
        return "run " + r.id + " is RUNNING in process " + r.ownerPid + " on " + r.ownerHost + (RunStore.host()
                .equals(r.ownerHost) ? "; delete it when it has ended" : " (another machine, which this one cannot "
                        + "check); delete it when it has ended, or from that machine if its process is gone");
    }

    /**
     * Deletes the runs as they were read, all or none, in one transaction: a run whose status or owner changed since
     * (a resume claimed it), with a RUNNING step not among the {@code steps} read ("id:attempt" per run: a step begun
     * since, told without comparing clocks of machines), or with an AWS Batch job not yet ended at the last look (it
     * would resume the run) stops the deletion with exit code 4 and nothing is deleted.
     */
    public void delete(List<RunEntity> seen, java.util.Map<Long, List<String>> steps) {
        // a deleted run of a schedule's firing leaves a deleted_firing row (deletedRun)
        Transactions.run(dataSource.get(), "delete runs", c -> {
            // an AWS Batch job still queued or running would resume the run; a step begun since the check runs
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE id = ? AND status = ? AND "
                    + "owner_host IS NOT DISTINCT FROM ? AND owner_pid IS NOT DISTINCT FROM ? AND NOT EXISTS (SELECT 1 "
                    + "FROM batch_job b WHERE b.run_id = run.id AND b.status NOT IN ('SUCCEEDED', 'FAILED', 'LOST')) "
                    + "AND NOT EXISTS (SELECT 1 FROM stage_run s WHERE s.run_id = run.id AND s.status = 'RUNNING' "
                    + "AND NOT ((s.id || ':' || s.attempt) = ANY (?))) RETURNING schedule_name, fire_time");
                    // only while the schedule exists: a removed one's firings are never recovered, and its rows
                    // would pile up (schedule remove, then runs delete of its runs, is the usual clean-up order)
                    PreparedStatement tomb = c.prepareStatement("INSERT INTO deleted_firing (schedule_name, fire_time, "
                    + "run_id) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM qrtz_job_details WHERE job_name = ? AND "
                    + "job_group = 'sift') ON CONFLICT DO NOTHING")) {
                for (RunEntity r : seen) {
                    ps.setLong(1, r.id);
                    ps.setString(2, r.status.name());
                    ps.setString(3, r.ownerHost);
                    ps.setObject(4, r.ownerPid);
                    ps.setArray(5, c.createArrayOf("text", steps.getOrDefault(r.id, List.of()).toArray()));
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new SiftException(ExitCodes.BUSY, "run " + r.id + " cannot be deleted: it changed "
                                    + "since it was read (a resume claimed it, a step started) or an AWS Batch job of it "
                                    + "is queued or running; nothing was deleted");
                        }
                        if (rs.getTimestamp(2) != null) { // a schedule's firing: a recovered firing must not redo it
                            tomb.setString(1, rs.getString(1));
                            tomb.setTimestamp(2, rs.getTimestamp(2));
                            tomb.setLong(3, r.id);
                            tomb.setString(4, rs.getString(1));
                            tomb.executeUpdate();
                        }
                    }
                }
            }
        });
    }

    /**
     * Forgets the deleted firings of a schedule that was removed: its firings are never recovered again (Quartz
     * deleted its job), so their rows would only accumulate, one per deleted run.
     */
    public void forgetFirings(String schedule) {
        Transactions.run(dataSource.get(), "forget deleted firings", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM deleted_firing WHERE schedule_name = ?")) {
                ps.setString(1, schedule);
                ps.executeUpdate();
            }
        });
    }

    /** The run {@code sift runs delete} deleted for a schedule's firing, if it deleted one. */
    public java.util.Optional<Long> deletedRun(String schedule, java.time.Instant fireTime) {
        long[] found = {-1};
        Transactions.run(dataSource.get(), "read deleted firings", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM deleted_firing WHERE schedule_name = ? "
                    + "AND fire_time = ?")) {
                ps.setString(1, schedule);
                ps.setTimestamp(2, java.sql.Timestamp.from(fireTime));
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found[0] = rs.getLong(1);
                    }
                }
            }
        });
        return found[0] < 0 ? java.util.Optional.empty() : java.util.Optional.of(found[0]);
    }
}
