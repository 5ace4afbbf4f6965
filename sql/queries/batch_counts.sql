select
    count(*) filter (where change = 'new') as new,
    count(*) filter (where change = 'changed') as changed,
    count(*) filter (where change in ('unchanged', 'stale')) as unchanged,
    count(*) filter (where change = 'changed' or counts_changed) as stored_to_update
from batch_classified
