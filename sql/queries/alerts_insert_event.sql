-- One step in an alert's history.
insert into alert_events (alert_id, event, event_at, event_by, note)
values ($alert_id, $event, $at, $by, $note)
