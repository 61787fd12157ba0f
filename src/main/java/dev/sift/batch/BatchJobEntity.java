package dev.sift.batch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One AWS Batch job submitted to execute a run (migration V14); {@code status} is the last one a follower saw. */
@Entity
@Table(name = "batch_job")
public class BatchJobEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "run_id")
    public Long runId;
    /** The stage the job executes; null: the whole run ({@code sift resume RUN}). */
    public String stage;
    @Column(name = "job_id")
    public String jobId;
    @Column(name = "job_name")
    public String jobName;
    @Column(name = "job_queue")
    public String jobQueue;
    @Column(name = "job_definition")
    public String jobDefinition;
    /** The job this one was resubmitted after (it failed); null for a first submission. */
    @Column(name = "retry_of")
    public String retryOf;
    /** A Batch job status (SUBMITTED ... SUCCEEDED, FAILED), or LOST when DescribeJobs no longer knows the job. */
    public String status;
    @Column(name = "status_reason")
    public String statusReason;
    /** Attempts Batch has made of the job (its own retry strategy, spot reclaims), as DescribeJobs lists them. */
    @Column(name = "batch_attempts")
    public int batchAttempts;
    /** The last attempt's container exit code, when it has one. */
    @Column(name = "exit_code")
    public Integer exitCode;
    @Column(name = "submitted_at")
    public Instant submittedAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;

    /** Whether the job can change no more: the follower is done with it. */
    public boolean terminal() {
        return JobSnapshot.isTerminal(status);
    }
}
