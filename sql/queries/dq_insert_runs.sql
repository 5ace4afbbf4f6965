insert into dq_runs (
    dq_run_id, run_id, trigger, suite, source_id, started_at, finished_at,
    rows_checked, rows_failed, success, gx_result
)
select
    dq_run_id, run_id, trigger, suite, source_id, started_at, finished_at,
    rows_checked, rows_failed, success, gx_result
from dq_runs_in
