-- A mail went out ($opened / $closed) or failed ($error, kept for the officer to see).
update source_incidents
set
    notified_open_at = case when $opened then $now else notified_open_at end,
    notified_close_at = case when $closed then $now else notified_close_at end,
    notify_error = $error
where incident_id = $incident_id
