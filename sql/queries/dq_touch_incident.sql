update source_incidents
set last_seen_at = $now, polls = polls + 1, message = $message
where incident_id = $incident_id
