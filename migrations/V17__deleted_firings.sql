-- Firings whose run `sift runs delete` deleted. A firing recovered after its node stopped looks for its run by
-- (schedule_name, fire_time); with the run deleted it found none and started the whole run again, which the user had
-- just removed. A row here tells it the firing had a run, so it is not run again.
CREATE TABLE deleted_firing (
    schedule_name TEXT        NOT NULL,
    fire_time     TIMESTAMPTZ NOT NULL,
    run_id        BIGINT      NOT NULL,
    deleted_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (schedule_name, fire_time)
);
