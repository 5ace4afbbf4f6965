-- Alerts whose story began on local day $day, or still open: time to answer against the 2-hour rule.
select
    alert_id,
    kind,
    unit_id,
    title,
    url,
    status,
    local_date,
    first_seen_at,
    answered_at,
    answered_by,
    minutes_to_answer,
    within_2h,
    overdue
from response_times
where local_date = $day or (status <> 'answered' and local_date <= $day)
order by local_date desc, first_seen_at, alert_id
