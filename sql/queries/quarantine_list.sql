select
    quarantine_id,
    source_id,
    stage,
    expectation,
    coalesce(item_id, '-') as item_id,
    reason,
    status,
    quarantined_at
from quarantine
where
    ($source_id::varchar is null or source_id = $source_id::varchar)
    and ($status::varchar = 'all' or status = $status::varchar)
order by quarantined_at desc, source_id, quarantine_id
limit $limit
