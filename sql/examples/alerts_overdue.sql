-- Open alerts past the 2-hour answer deadline (R8), oldest first, with the unit that must answer.
select
    a.alert_id,
    a.title,
    a.url,
    a.unit_id,
    u.name as unit_name,
    a.severity,
    a.status,
    a.first_seen_at,
    a.age_minutes,
    a.answer_deadline_at
from alerts_open as a
left join units as u on a.unit_id = u.unit_id
where a.overdue
order by a.age_minutes desc
