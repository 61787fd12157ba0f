-- Runs stored before stop 36 keep parameters under keys the YAML does not use, so `runs list --where` and
-- `runs compare` did not find them under the keys a user writes. Rewritten here as WorkflowParams writes them now.

-- score.checkpoint.kind + score.checkpoint.epoch -> score.checkpoint: best, final, mean or epoch:K
UPDATE run SET params = (params - 'score.checkpoint.kind' - 'score.checkpoint.epoch')
        || jsonb_build_object('score.checkpoint', CASE WHEN params ->> 'score.checkpoint.kind' = 'epoch'
            THEN 'epoch:' || (params ->> 'score.checkpoint.epoch') ELSE params ->> 'score.checkpoint.kind' END)
    WHERE params ? 'score.checkpoint.kind';

-- cache.enabled + cache.off (stage names joined by commas) -> cache, and STAGE.cache keyed by the stage's section
UPDATE run SET params = (params - 'cache.enabled' - 'cache.off')
        || jsonb_build_object('cache', params ->> 'cache.enabled')
        || COALESCE((SELECT jsonb_object_agg(CASE s WHEN 'ingest' THEN 'dataset' WHEN 'fine-tune' THEN 'fine_tune'
                ELSE s END || '.cache', 'false')
            FROM unnest(string_to_array(NULLIF(params ->> 'cache.off', ''), ',')) AS s), '{}'::jsonb)
    WHERE params ? 'cache.enabled';

-- a workflow with filter.candidates stored its first candidate as filter.policy; it has none, and the policies
-- validation picked, in iteration order, are filter.picked
UPDATE run r SET params = (r.params - 'filter.policy')
        || (SELECT CASE WHEN count(*) = 0 THEN '{}'::jsonb ELSE jsonb_build_object('filter.picked',
                string_agg(split_part(i.policy, ' (validation''s pick of ', 1), ',' ORDER BY i.k)) END
            FROM iteration i WHERE i.run_id = r.id AND i.policy LIKE '%(validation''s pick of %')
    WHERE r.params ? 'filter.candidates' AND r.params ? 'filter.policy';
