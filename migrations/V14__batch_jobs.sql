-- AWS Batch jobs that execute runs (execution: aws-batch, sift run --submit). One row per submitted job; the job runs
-- `sift resume RUN` in the same image. A follower that dies finds the run's last job here and re-attaches to it
-- instead of submitting a second one; retry_of links a job that Sift resubmitted after a failure to the one before,
-- so a chain of retries is bounded by execution.attempts. status is the last Batch status the follower saw.
CREATE TABLE batch_job (
    id             BIGSERIAL PRIMARY KEY,
    run_id         BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    stage          TEXT,
    job_id         TEXT        NOT NULL UNIQUE,
    job_name       TEXT        NOT NULL,
    job_queue      TEXT        NOT NULL,
    job_definition TEXT        NOT NULL,
    retry_of       TEXT,
    status         TEXT        NOT NULL CHECK (status IN ('SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING',
                                                         'SUCCEEDED', 'FAILED', 'LOST')),
    status_reason  TEXT,
    batch_attempts INTEGER     NOT NULL DEFAULT 0,
    exit_code      INTEGER,
    submitted_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at    TIMESTAMPTZ
);
CREATE INDEX batch_job_run_idx ON batch_job (run_id, id);
