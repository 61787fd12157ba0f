-- Experiment history queries (runs list --where / --order-by, runs compare).
--
-- params: the run's resolved workflow parameters as one flat JSON object keyed by dotted names
-- ({"filter.keep": 0.5, "filter.by": "el2n", "score.methods": "loss,el2n", ...}; numbers as JSON numbers, everything
-- else as strings), written with the run. spec_yaml stays the source of truth; runs from before this migration get
-- their params from it the first time history needs them (YAML cannot be parsed here), hence the partial index.
ALTER TABLE run ADD COLUMN params JSONB;
CREATE INDEX run_params_missing_idx ON run (id) WHERE params IS NULL;

-- A metric key of a filter reads the latest iteration's mean row of one subset and metric name per run: one index
-- probe per run instead of a walk over all of its rows (per-seed, curve and noise rows included).
CREATE INDEX metric_latest_idx ON metric (run_id, subset, name, iteration DESC) INCLUDE (value)
    WHERE split = 'test' AND seed IS NULL;

