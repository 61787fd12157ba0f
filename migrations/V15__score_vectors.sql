-- Scores as arrays: one row per run, iteration, method and chunk of at most 2^20 samples, holding the sample
-- indexes, scores and weights in the order they were written. A million scores are one row, written in about a
-- second; as one row per sample (V1) the per-row foreign-key check and primary-key index took 10-25 s
-- (`sift bench scores`). The view `sample_score` keeps V1's row shape for reading.
CREATE TABLE score_vector (
    run_id        BIGINT             NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration     INTEGER            NOT NULL,
    method        TEXT               NOT NULL,
    chunk         INTEGER            NOT NULL,
    sample_index  INTEGER[]          NOT NULL,
    score         DOUBLE PRECISION[] NOT NULL,
    weight        DOUBLE PRECISION[] NOT NULL,
    PRIMARY KEY (run_id, iteration, method, chunk),
    CHECK (cardinality(sample_index) = cardinality(score) AND cardinality(score) = cardinality(weight))
);

INSERT INTO score_vector (run_id, iteration, method, chunk, sample_index, score, weight)
SELECT run_id, iteration, method, chunk, array_agg(sample_index ORDER BY sample_index),
       array_agg(score ORDER BY sample_index), array_agg(weight ORDER BY sample_index)
FROM (SELECT s.*, ((row_number() OVER (PARTITION BY run_id, iteration, method ORDER BY sample_index)) - 1)
             / 1048576 AS chunk
      FROM sample_score s) numbered
GROUP BY run_id, iteration, method, chunk;

DROP TABLE sample_score;

CREATE VIEW sample_score AS
SELECT v.run_id, v.iteration, v.method, u.sample_index, u.score, u.weight
FROM score_vector v
CROSS JOIN LATERAL unnest(v.sample_index, v.score, v.weight) AS u (sample_index, score, weight);
