-- EL2N per sample and epoch, and the learning-rate-weighted last-layer gradient similarity to the validation
-- split at each epoch's checkpoint (TracIn).
ALTER TABLE training_dynamics ADD COLUMN el2n REAL[];
ALTER TABLE training_dynamics ADD COLUMN tracin REAL[];
