-- A recommendation workflow names its columns user and rating; runs stored before stop 48 keep them under the search
-- task's keys (dataset.columns.user_id, dataset.columns.label), so `runs list --where` on the names a user writes
-- found none of them. Rewritten here as WorkflowParams writes them now.
UPDATE run SET params = (params - 'dataset.columns.user_id' - 'dataset.columns.label')
        || jsonb_strip_nulls(jsonb_build_object('dataset.columns.user', params -> 'dataset.columns.user_id',
            'dataset.columns.rating', params -> 'dataset.columns.label'))
    WHERE params ->> 'task.type' = 'recommendation';
