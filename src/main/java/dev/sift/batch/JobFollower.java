package dev.sift.batch;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.workflow.Console;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.DescribeJobsResponse;

/**
 * Follows one Batch job with DescribeJobs until it succeeds, fails or is lost: SUBMITTED, PENDING, RUNNABLE, STARTING,
 * RUNNING, and back to RUNNABLE when Batch retries an attempt itself. Each change is one line on the console and is
 * stored on the job's row, so a follower that starts again later reads where the job was.
 */
final class JobFollower {
    private final BatchClient client;
    private final BatchJobStore jobs;
    private final Duration poll;
    private final Console console;

    JobFollower(BatchClient client, BatchJobStore jobs, Duration poll, Console console) {
        this.client = client;
        this.jobs = jobs;
        this.poll = poll;
        this.console = console;
    }

    /** Polls until the job ends; returns its last snapshot. */
    JobSnapshot follow(BatchJobEntity job) {
        JobSnapshot last = stored(job);
        while (true) {
            JobSnapshot now = describe(job);
            if (!now.status().equals(last.status()) || now.attempts() != last.attempts()) {
                report(job, last, now);
                jobs.update(job.id, now);
                last = now;
            } else if (!Objects.equals(now.statusReason(), last.statusReason())) {
                jobs.update(job.id, now);
                last = now;
            }
            if (now.terminal()) {
                return now;
            }
            sleep(job);
        }
    }

    /**
     * Reads the job once more and stores what changed, for a follower that died with the job's status not final; null
     * when Batch does not return the job, which from another region or account than the submitter's is no proof that
     * it is lost (not stored).
     */
    JobSnapshot refresh(BatchJobEntity job) {
        JobSnapshot now = describe(job);
        if (now.status().equals(JobSnapshot.LOST)) {
            return null;
        }
        JobSnapshot last = stored(job);
        if (!now.status().equals(last.status()) || now.attempts() != last.attempts()
                || !Objects.equals(now.statusReason(), last.statusReason())) {
            jobs.update(job.id, now);
        }
        return now;
    }

    /** The job as its row says it was at the last look. */
    private static JobSnapshot stored(BatchJobEntity job) {
        return new JobSnapshot(job.status, job.statusReason, job.batchAttempts, job.exitCode, null);
    }

    private JobSnapshot describe(BatchJobEntity job) {
        String jobId = job.jobId;
        DescribeJobsResponse r;
        try {
            r = client.describeJobs(b -> b.jobs(jobId));
        } catch (SdkException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot read AWS Batch job " + jobId + " of run " + job.runId
                    + " (" + e.getMessage() + "); the job goes on: 'sift resume " + job.runId + " --submit' follows it "
                    + "again", e);
        }
        return r.jobs().stream().filter(j -> jobId.equals(j.jobId())).findFirst().map(JobSnapshot::of)
                .orElseGet(JobSnapshot::lost);
    }

    private void report(BatchJobEntity job, JobSnapshot before, JobSnapshot now) {
        String head = "AWS Batch job " + job.jobId + ": ";
        if (now.attempts() > before.attempts() && !now.terminal() && now.attempts() > 0) {
            console.info(head + "attempt " + now.attempts() + " ended (" + now.describeAttempt() + "); Batch retries "
                    + "it, now " + now.status());
        } else if (now.terminal() && !now.succeeded()) {
            console.info(head + before.status() + " -> " + now.status() + " (" + now.describeFailure() + ")");
        } else {
            console.info(head + before.status() + " -> " + now.status());
        }
    }

    private void sleep(BatchJobEntity job) {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiftException(ExitCodes.FAILURE, "stopped following AWS Batch job " + job.jobId + " of run "
                    + job.runId + "; the job goes on: 'sift resume " + job.runId + " --submit' follows it again");
        }
    }
}
