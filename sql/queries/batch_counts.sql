select
    count(*) filter (where change = 'new') as new,
    count(*) filter (where change = 'changed') as changed,
    count(*) filter (where change in ('unchanged', 'stale')) as unchanged
from batch_classified
