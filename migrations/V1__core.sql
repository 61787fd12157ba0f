-- Sift core schema: runs, their stages and iterations, metrics, datasets, sample scores, model weights.

CREATE TABLE dataset (
    sha256        CHAR(64) PRIMARY KEY,
    uri           TEXT        NOT NULL,
    source        TEXT        NOT NULL,
    source_sha256 CHAR(64),
    parent_sha256 CHAR(64) REFERENCES dataset (sha256),
    rows          INTEGER     NOT NULL,
    train_rows    INTEGER     NOT NULL,
    validation_rows INTEGER   NOT NULL,
    test_rows     INTEGER     NOT NULL,
    quarantined   INTEGER     NOT NULL,
    duplicates    INTEGER     NOT NULL,
    schema_json   TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE run (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL,
    workflow      TEXT        NOT NULL,
    workflow_path TEXT        NOT NULL,
    spec_yaml     TEXT        NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    error         TEXT,
    owner_host    TEXT,
    owner_pid     BIGINT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at    TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX run_workflow_idx ON run (workflow, created_at);

CREATE TABLE stage_run (
    id            BIGSERIAL PRIMARY KEY,
    run_id        BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    stage         TEXT        NOT NULL,
    iteration     INTEGER     NOT NULL,
    seq           INTEGER     NOT NULL,
    status        TEXT        NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
    attempt       INTEGER     NOT NULL,
    input_digest  TEXT,
    output_json   TEXT,
    error         TEXT,
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    duration_ms   BIGINT,
    UNIQUE (run_id, stage, iteration)
);

CREATE TABLE iteration (
    run_id        BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    k             INTEGER     NOT NULL,
    pool_size     INTEGER     NOT NULL,
    kept_size     INTEGER     NOT NULL,
    method        TEXT        NOT NULL,
    selected_uri  TEXT        NOT NULL,
    random_uri    TEXT        NOT NULL,
    selected_weights CHAR(64),
    PRIMARY KEY (run_id, k)
);

CREATE TABLE metric (
    id            BIGSERIAL PRIMARY KEY,
    run_id        BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration     INTEGER     NOT NULL,
    split         TEXT        NOT NULL,
    subset        TEXT        NOT NULL,
    name          TEXT        NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    UNIQUE (run_id, iteration, split, subset, name)
);

CREATE TABLE sample_score (
    run_id        BIGINT      NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration     INTEGER     NOT NULL,
    method        TEXT        NOT NULL,
    sample_index  INTEGER     NOT NULL,
    score         DOUBLE PRECISION NOT NULL,
    weight        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, iteration, method, sample_index)
);

CREATE TABLE model_weights (
    sha256        CHAR(64) PRIMARY KEY,
    size_bytes    BIGINT      NOT NULL,
    format        TEXT        NOT NULL,
    chunks        INTEGER     NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE weight_chunk (
    sha256        CHAR(64)    NOT NULL REFERENCES model_weights (sha256) ON DELETE CASCADE,
    seq           INTEGER     NOT NULL,
    bytes         BYTEA       NOT NULL,
    PRIMARY KEY (sha256, seq)
);
