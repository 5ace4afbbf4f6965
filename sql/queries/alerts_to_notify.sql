-- Alerts nobody has been told about yet.
select
    a.alert_id, a.kind, a.unit_id, u.name as unit_name, a.rule_id, a.title, a.url, a.severity,
    a.reason, a.status, a.created_at, a.first_seen_at, a.posts, a.engagement
from alerts as a
left join units as u on u.unit_id = a.unit_id
where a.notified_at is null
order by a.created_at, a.alert_id
