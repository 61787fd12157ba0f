-- Kept-fraction curves: a metric row may belong to a training set of a given fraction of the pool (split 'curve'),
-- so the fraction is part of what makes a row unique.

ALTER TABLE metric ADD COLUMN fraction DOUBLE PRECISION;
DROP INDEX metric_key;
CREATE UNIQUE INDEX metric_key ON metric (run_id, iteration, split, subset, name, COALESCE(seed, -1),
    COALESCE(fraction, -1));
