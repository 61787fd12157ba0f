-- A run or stage stopped by SIGTERM / Ctrl-C is INTERRUPTED (resumable), not left RUNNING.
ALTER TABLE run DROP CONSTRAINT run_status_check;
ALTER TABLE run ADD CONSTRAINT run_status_check
    CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'));
ALTER TABLE stage_run DROP CONSTRAINT stage_run_status_check;
ALTER TABLE stage_run ADD CONSTRAINT stage_run_status_check
    CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED'));
