-- The files of a split the data comes with are written dataset.validation, dataset.utility and dataset.test in a
-- workflow; runs stored before stop 57 hold them under dataset.given.*, so `runs list --where` on the names a user
-- writes found none of them (a probe's). Rewritten here as WorkflowParams writes them now; the readings a build of
-- stop 57 stored for a moment (how each file is read, told by its name) are left out, as WorkflowParams leaves them.
UPDATE run SET params = (params - ARRAY['dataset.given.validation', 'dataset.given.utility', 'dataset.given.test',
            'dataset.given.readings'])
        || jsonb_strip_nulls(jsonb_build_object('dataset.validation', params -> 'dataset.given.validation',
            'dataset.utility', params -> 'dataset.given.utility', 'dataset.test', params -> 'dataset.given.test'))
    WHERE params ?| ARRAY['dataset.given.validation', 'dataset.given.utility', 'dataset.given.test',
        'dataset.given.readings'];
