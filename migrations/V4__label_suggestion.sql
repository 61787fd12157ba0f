-- Samples that confident learning flags as mislabelled, with the grade it suggests (as a class index).
CREATE TABLE label_suggestion (
    run_id          BIGINT  NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    iteration       INTEGER NOT NULL,
    sample_index    INTEGER NOT NULL,
    suggested_class INTEGER NOT NULL,
    quality         DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, iteration, sample_index)
);
