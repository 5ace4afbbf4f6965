select
    quarantine_id, run_id, source_id, platform, item_id, stage, expectation, reason, record,
    record_hash, landing_ref, quarantined_at, status, released_at
from quarantine
where quarantine_id = $quarantine_id
