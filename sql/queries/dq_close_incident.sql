update source_incidents
set closed_at = $now, last_seen_at = $now
where incident_id = $incident_id
