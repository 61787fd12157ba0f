package dev.sift.batch;

import static java.util.Objects.requireNonNull;

import java.util.List;
import software.amazon.awssdk.services.batch.model.AttemptDetail;
import software.amazon.awssdk.services.batch.model.JobDetail;

/**
 * What one DescribeJobs answer says about a job: its status (SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING,
 * SUCCEEDED, FAILED, or LOST when Batch does not know it), the status reason, how many attempts Batch has made (more
 * than one: Batch retried it, e.g. after a spot reclaim), and the last attempt's container exit code and reason.
 */
public record JobSnapshot(String status, String statusReason, int attempts, Integer exitCode, String attemptReason) {
    /** The status of a job that DescribeJobs does not return. */
    public static final String LOST = "LOST";

    public JobSnapshot {
        requireNonNull(status, "status is null");
    }

    /** Reads a DescribeJobs job. */
    public static JobSnapshot of(JobDetail job) {
        List<AttemptDetail> attempts = job.attempts();
        AttemptDetail last = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
        Integer exit = last == null || last.container() == null ? null : last.container().exitCode();
        String reason = last == null ? null : last.container() != null && last.container().reason() != null
                ? last.container().reason() : last.statusReason();
        return new JobSnapshot(job.statusAsString(), job.statusReason(), attempts.size(), exit, reason);
    }

    /** A job that DescribeJobs no longer (or never) returned. */
    public static JobSnapshot lost() {
        return new JobSnapshot(LOST, "DescribeJobs does not know the job (another region or account, or Batch no "
                + "longer keeps it)", 0, null, null);
    }

    public static boolean isTerminal(String status) {
        return "SUCCEEDED".equals(status) || "FAILED".equals(status) || LOST.equals(status);
    }

    public boolean terminal() {
        return isTerminal(status);
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }

    /** How the last attempt ended: its reason and exit code, as far as Batch gave them. */
    public String describeAttempt() {
        String reason = attemptReason != null ? attemptReason : "no reason given";
        return exitCode == null ? reason : reason + "; exit code " + exitCode;
    }

    /** The failure in words: status reason, last attempt's reason and exit code, as far as Batch gave them. */
    public String describeFailure() {
        StringBuilder b = new StringBuilder(statusReason == null ? "no reason given" : statusReason);
        if (attemptReason != null && !attemptReason.equals(statusReason)) {
            b.append("; ").append(attemptReason);
        }
        if (exitCode != null) {
            b.append("; exit code ").append(exitCode);
        }
        return b.toString();
    }
}
