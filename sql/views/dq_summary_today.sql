-- Today's data-quality summary for the daily digest: always exactly one row, also on an empty
-- warehouse. Stale and broken sources are as of now; the rest counts today (Asia/Ho_Chi_Minh).
create or replace view dq_summary_today as
with today as (
    select timezone('Asia/Ho_Chi_Minh', now())::date as day
),

health as (
    select
        count(*) filter (where active) as sources_active,
        count(*) filter (where active and stale) as sources_stale,
        string_agg(source_id, ', ' order by source_id) filter (where active and stale) as stale_sources,
        count(*) filter (where incident is not null) as sources_broken,
        string_agg(source_id || ' (' || incident || ')', ', ' order by source_id)
            filter (where incident is not null) as broken_sources
    from dq_source_health
),

quarantined as (
    select
        count(*) as quarantined_today,
        string_agg(distinct expectation, ', ' order by expectation) as quarantine_reasons
    from dq_quarantine_today
),

open_quarantine as (
    select count(*) as quarantine_open from quarantine where status = 'open'
),

checks as (
    select
        count(*) filter (where severity = 'fail') as checks_failed,
        count(*) filter (where severity = 'warn') as checks_warned,
        string_agg(
            expectation || ' ' || coalesce(source_id, '') || ': ' || coalesce(observed_value, ''),
            '; '
            order by severity, expectation, source_id
        ) filter (where severity in ('fail', 'warn')) as failed_checks
    from dq_failed_checks_today
),

validated as (
    select
        coalesce(sum(rows_validated), 0) as rows_validated,
        coalesce(sum(rows_failed), 0) as rows_failed
    from dq_daily
    where day = (select day from today)
)

select
    t.day,
    h.sources_active,
    h.sources_stale,
    h.stale_sources,
    h.sources_broken,
    h.broken_sources,
    v.rows_validated,
    v.rows_failed,
    q.quarantined_today,
    q.quarantine_reasons,
    o.quarantine_open,
    c.checks_failed,
    c.checks_warned,
    c.failed_checks
from today as t, health as h, quarantined as q, open_quarantine as o, checks as c, validated as v
