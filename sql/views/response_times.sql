-- response_times: for every alert, how long the unit took to answer against the 2-hour rule (R8).
--
-- Columns:
--   alert_id, kind, unit_id, title, url, severity, status
--   local_date             local day (Asia/Ho_Chi_Minh) of the story's first publication
--   first_seen_at          publication time of the story's earliest post (UTC)
--   answered_at            when the unit answered (null: not yet), answered_by (auto:<source_id> or the officer)
--   minutes_to_answer      answered_at - first_seen_at in minutes (null: not answered)
--   within_2h              answered within 2 hours (null while unanswered and the deadline is not past)
--   overdue                not answered and the 2 hours are past
create or replace view response_times as
select
    alert_id,
    kind,
    unit_id,
    title,
    url,
    severity,
    status,
    timezone('Asia/Ho_Chi_Minh', first_seen_at)::date as local_date,
    first_seen_at,
    answered_at,
    answered_by,
    cast(date_diff('minute', first_seen_at, answered_at) as bigint) as minutes_to_answer,
    case
        when answered_at is not null then answered_at <= first_seen_at + interval 2 hours
        when now() > first_seen_at + interval 2 hours then false
    end as within_2h,
    answered_at is null and now() > first_seen_at + interval 2 hours as overdue
from alerts;

comment on view response_times is 'Time to answer each alert against the 2-hour rule (R8). Columns: see sql/views/response_times.sql.';
