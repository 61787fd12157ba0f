-- Runs started by a schedule: the schedule's name and the firing's scheduled time (`sift serve`), or the name alone
-- for a manual `sift run --schedule NAME`. One run per firing: a firing that is recovered on another node finds its
-- run here and resumes it, and the unique index makes a second start of the same firing fail instead of running.
ALTER TABLE run ADD COLUMN schedule_name TEXT;
ALTER TABLE run ADD COLUMN fire_time TIMESTAMPTZ;
CREATE UNIQUE INDEX run_firing_idx ON run (schedule_name, fire_time) WHERE fire_time IS NOT NULL;
CREATE INDEX run_schedule_idx ON run (schedule_name, created_at) WHERE schedule_name IS NOT NULL;
