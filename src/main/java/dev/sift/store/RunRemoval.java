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
 * datasets and weights no other run names) is left for {@code sift gc}, which finds it unreferenced.
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
                .equals(r.ownerHost) ? "" : " (another machine, which this one cannot check)") + "; delete it when "
                + "it has ended";
    }

    /**
     * Deletes the runs as they were read, all or none, in one transaction: a run whose status or owner changed
     * since (a resume claimed it) stops the deletion with exit code 4 and nothing is deleted.
     */
    public void delete(List<RunEntity> seen) {
        Transactions.run(dataSource.get(), "delete runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE id = ? AND status = ? AND "
                    + "owner_host IS NOT DISTINCT FROM ? AND owner_pid IS NOT DISTINCT FROM ?")) {
                for (RunEntity r : seen) {
                    ps.setLong(1, r.id);
                    ps.setString(2, r.status.name());
                    ps.setString(3, r.ownerHost);
                    ps.setObject(4, r.ownerPid);
                    if (ps.executeUpdate() != 1) {
                        throw new SiftException(ExitCodes.BUSY, "run " + r.id + " changed while it was being "
                                + "deleted (a resume claimed it?); nothing was deleted");
                    }
                }
            }
        });
    }
}
