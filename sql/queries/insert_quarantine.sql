insert into quarantine
select
    quarantine_id,
    run_id,
    source_id,
    platform,
    item_id,
    stage,
    expectation,
    reason,
    record,
    landing_ref,
    $now as quarantined_at,
    'open' as status,
    null as released_at
from quarantine_in
