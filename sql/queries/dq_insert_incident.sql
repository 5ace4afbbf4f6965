insert into source_incidents (
    incident_id, source_id, kind, message, opened_at, last_seen_at, closed_at, polls,
    notified_open_at, notified_close_at, notify_error
) values ($incident_id, $source_id, $kind, $message, $now, $now, null, 1, null, null, null)
