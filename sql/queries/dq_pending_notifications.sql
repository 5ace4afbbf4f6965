-- Incidents whose opening (still open) or recovery (closed since $since) was not mailed yet.
select
    incident_id, source_id, kind, message, opened_at, last_seen_at, closed_at, polls,
    notified_open_at, notified_close_at
from source_incidents
where
    (closed_at is null and notified_open_at is null)
    or (closed_at >= $since and notified_close_at is null)
order by opened_at, source_id
