select
    incident_id, source_id, kind, message, opened_at, last_seen_at, closed_at, polls,
    notified_open_at, notified_close_at
from source_incidents
where closed_at is null
order by source_id
