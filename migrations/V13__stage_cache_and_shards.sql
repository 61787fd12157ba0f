-- Stage caching: a finished stage records the key it ran under (code version, resolved workflow, input data digest,
-- the key of the step before it); a later run whose step has the same key copies that output instead of running it,
-- and records which run it came from.
ALTER TABLE stage_run ADD COLUMN cache_key CHAR(64);
ALTER TABLE stage_run ADD COLUMN reused_from BIGINT;
CREATE INDEX stage_run_cache_idx ON stage_run (cache_key, finished_at DESC) WHERE status = 'SUCCEEDED';

-- Sharded scoring: each of N processes scores one slice of the pool and stores its part of the model's passes in S3;
-- the process that finds all N parts finishes the stage. A shard run again replaces its row.
CREATE TABLE score_shard (
    run_id      BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration   INTEGER     NOT NULL,
    shards      INTEGER     NOT NULL,
    shard       INTEGER     NOT NULL,
    first       INTEGER     NOT NULL,
    count       INTEGER     NOT NULL,
    object_key  TEXT        NOT NULL,
    sha256      CHAR(64)    NOT NULL,
    host        TEXT,
    pid         BIGINT,
    finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, iteration, shards, shard)
);
