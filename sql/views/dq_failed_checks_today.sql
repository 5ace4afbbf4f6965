-- Checks that did not pass today (Asia/Ho_Chi_Minh): batch-level checks (warn / fail) and row-level
-- expectations that sent rows to quarantine (severity row), latest first.
create or replace view dq_failed_checks_today as
select
    d.suite,
    r.expectation,
    r.severity,
    r.source_id,
    s.name as source_name,
    r.unexpected_count,
    r.observed_value,
    r.message,
    d.run_id,
    r.recorded_at
from dq_results as r
inner join dq_runs as d on r.dq_run_id = d.dq_run_id
left join sources as s on r.source_id = s.source_id
where
    not r.success
    and timezone('Asia/Ho_Chi_Minh', r.recorded_at)::date = timezone('Asia/Ho_Chi_Minh', now())::date
