-- The same bad record met again (re-run, replay, a feed repeating it) stays one open row.
insert into quarantine
select
    q.quarantine_id,
    q.run_id,
    q.source_id,
    q.platform,
    q.item_id,
    q.stage,
    q.expectation,
    q.reason,
    q.record,
    q.record_hash,
    q.landing_ref,
    $now as quarantined_at,
    'open' as status,
    null as released_at
from (
    select * from quarantine_in
    qualify row_number() over (partition by source_id, record_hash, reason order by quarantine_id) = 1
) as q
where not exists (
    select 1
    from quarantine as o
    where
        o.source_id = q.source_id
        and o.record_hash = q.record_hash
        and o.reason = q.reason
        and o.status = 'open'
)
