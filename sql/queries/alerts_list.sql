-- Alerts for the CLI: open ones (or all with $all), latest story first.
select
    alert_id, status, kind, severity, unit_id, title, first_seen_at, answered_at, answered_by,
    cast(date_diff('minute', first_seen_at, answered_at) as bigint) as minutes_to_answer, url
from alerts
where $all or status <> 'answered'
order by first_seen_at desc, alert_id
