-- Logit margin per sample and epoch (logit of the given label minus the largest other logit), for the area
-- under the margin. Rows written before this migration have none.
ALTER TABLE training_dynamics ADD COLUMN margin REAL[];
