-- Records in quarantine (not released) by source, stage and failed check: where the pipeline
-- rejects data, and since when.
select
    q.source_id,
    s.name as source_name,
    q.stage,
    coalesce(q.expectation, '-') as expectation,
    count(*) as records,
    min(q.quarantined_at) as first_at,
    max(q.quarantined_at) as last_at
from quarantine as q
left join sources as s on q.source_id = s.source_id
where q.status = 'open'
group by q.source_id, s.name, q.stage, q.expectation
order by records desc, q.source_id
