-- Per-sample training dynamics recorded during training: one row per run, stage, iteration and epoch, with the
-- values of every training sample as arrays aligned with sample_index (compact: ~13 bytes per sample and epoch).
CREATE TABLE training_dynamics (
    run_id        BIGINT   NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    stage         TEXT     NOT NULL,
    iteration     INTEGER  NOT NULL,
    epoch         INTEGER  NOT NULL,
    sample_index  INTEGER[] NOT NULL,
    loss          REAL[]   NOT NULL,
    p_true        REAL[]   NOT NULL,
    correct       BOOLEAN[] NOT NULL,
    PRIMARY KEY (run_id, stage, iteration, epoch)
);
