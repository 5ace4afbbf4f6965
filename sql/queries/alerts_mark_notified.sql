-- The alert was sent to its recipients.
update alerts set notified_at = $now, updated_at = $now where alert_id = $alert_id
