-- The officer has seen the alert.
update alerts
set status = 'acknowledged', acknowledged_at = $at, acknowledged_by = $by, note = coalesce($note, note),
    updated_at = $at
where alert_id = $alert_id
