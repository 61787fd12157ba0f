-- Evaluation over several training seeds: a metric row per seed (seed NULL = the mean over seeds, as every row
-- was before), and the paired per-query bootstrap comparison of two subsets.

ALTER TABLE metric ADD COLUMN seed INTEGER;
ALTER TABLE metric DROP CONSTRAINT metric_run_id_iteration_split_subset_name_key;
CREATE UNIQUE INDEX metric_key ON metric (run_id, iteration, split, subset, name, COALESCE(seed, -1));

CREATE TABLE comparison (
    run_id      BIGINT           NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration   INTEGER          NOT NULL,
    metric      TEXT             NOT NULL,
    subset      TEXT             NOT NULL,
    baseline    TEXT             NOT NULL,
    delta       DOUBLE PRECISION NOT NULL,
    lo          DOUBLE PRECISION,
    hi          DOUBLE PRECISION,
    seeds       INTEGER          NOT NULL,
    queries     INTEGER          NOT NULL,
    resamples   INTEGER          NOT NULL,
    PRIMARY KEY (run_id, iteration, metric, subset, baseline)
);
