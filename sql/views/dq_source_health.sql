-- Each source now: last poll, last success, whether the latest batch check found it stale, and
-- its open incident (token expired, repeated errors, stale) if any.
create or replace view dq_source_health as
with latest_stale as (
    select
        r.source_id,
        r.success,
        r.observed_value,
        r.severity
    from dq_results as r
    where r.expectation = 'stale_source'
    qualify row_number() over (partition by r.source_id order by r.recorded_at desc) = 1
)

select
    s.source_id,
    s.name as source_name,
    s.platform,
    s.active,
    st.status as last_status,
    st.message as last_message,
    st.last_attempt_at,
    st.last_success_at,
    coalesce(ls.success = false, false) as stale,
    ls.observed_value as staleness,
    i.kind as incident,
    i.opened_at as incident_since,
    i.message as incident_detail
from sources as s
left join source_state as st on s.source_id = st.source_id
left join latest_stale as ls on s.source_id = ls.source_id
left join source_incidents as i on s.source_id = i.source_id and i.closed_at is null
