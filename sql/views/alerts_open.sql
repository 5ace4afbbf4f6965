-- alerts_open: hot alerts not yet answered (status new or acknowledged), oldest story first, with the
-- 2-hour deadline of R8 counted from the story's first publication.
--
-- Columns:
--   alert_id, story_key, kind (velocity | critical_rule | spike), unit_id, title, url, severity
--   status                 new | acknowledged
--   created_at             when the alert was raised (UTC)
--   first_seen_at          publication time of the story's earliest post (UTC)
--   age_minutes            minutes from first_seen_at to now
--   answer_deadline_at     first_seen_at + 2 hours
--   overdue                the deadline has passed
create or replace view alerts_open as
select
    alert_id,
    story_key,
    kind,
    unit_id,
    title,
    url,
    severity,
    status,
    created_at,
    first_seen_at,
    cast(date_diff('minute', first_seen_at, now()) as bigint) as age_minutes,
    first_seen_at + interval 2 hours as answer_deadline_at,
    now() > first_seen_at + interval 2 hours as overdue
from alerts
where status in ('new', 'acknowledged')
order by first_seen_at, alert_id;

comment on view alerts_open is 'Alerts not yet answered, with the 2-hour answer deadline (R8). Columns: see sql/views/alerts_open.sql.';
