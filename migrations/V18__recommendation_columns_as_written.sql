-- A recommendation workflow names its columns user and rating; runs stored before stop 48 keep them under the search
-- task's keys (dataset.columns.user_id, dataset.columns.label), so `runs list --where` on the names a user writes
-- found none of them. Rewritten here as WorkflowParams writes them now.
-- The settings it never read (the search task's evaluation and scoring keys, the fine-tune's clipping and early
-- stopping) are left out, as WorkflowParams leaves them out of new runs.
UPDATE run SET params = (params - 'dataset.columns.user_id' - 'dataset.columns.label'
            - ARRAY['evaluate.k', 'evaluate.stop', 'score.checkpoint', 'score.cross_fit', 'score.seeds',
                'score.ensemble', 'fine_tune.clip_norm', 'fine_tune.patience'])
        || jsonb_strip_nulls(jsonb_build_object('dataset.columns.user', params -> 'dataset.columns.user_id',
            'dataset.columns.rating', params -> 'dataset.columns.label'))
    WHERE params ->> 'task.type' = 'recommendation';

-- A tab separator is stored as the YAML writes it, tab, not as a tab character that shows as a blank.
UPDATE run SET params = jsonb_set(params, '{dataset.separator}', '"tab"')
    WHERE params ->> 'dataset.separator' = E'\t';
UPDATE run SET params = jsonb_set(params, '{dataset.items.separator}', '"tab"')
    WHERE params ->> 'dataset.items.separator' = E'\t';
