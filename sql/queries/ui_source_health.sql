-- Active sources for the UI page, broken or stale ones first.
select
    source_id,
    source_name,
    platform,
    last_status,
    last_success_at,
    stale,
    incident,
    incident_since,
    incident_detail
from dq_source_health
where active
order by incident is null, not stale, source_id
