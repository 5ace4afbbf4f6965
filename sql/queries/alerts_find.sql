-- Alerts whose id starts with $prefix (the CLI and the alert_update DAG accept a unique prefix).
select alert_id, status, title, first_seen_at, acknowledged_at, answered_at, answered_by
from alerts
where starts_with(alert_id, lower($prefix))
order by alert_id
