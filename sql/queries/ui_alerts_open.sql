-- Open alerts for the UI page, overdue ones (past the 2-hour answer deadline) first, then oldest.
select
    a.alert_id,
    a.kind,
    a.severity,
    a.status,
    a.title,
    a.url,
    a.unit_id,
    coalesce(u.name, a.unit_id) as unit_name,
    a.first_seen_at,
    a.age_minutes,
    a.answer_deadline_at,
    a.overdue
from alerts_open as a
left join units as u on a.unit_id = u.unit_id
order by a.overdue desc, a.age_minutes desc, a.alert_id
limit $limit
