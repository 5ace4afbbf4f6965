-- Data quality per local day (Asia/Ho_Chi_Minh): what was validated, quarantined and failed.
create or replace view dq_daily as
with runs as (
    select
        timezone('Asia/Ho_Chi_Minh', finished_at)::date as day,
        sum(rows_checked) filter (where suite = 'normalized_posts') as rows_validated,
        sum(rows_failed) filter (where split_part(suite, '.', 1) in ('raw_items', 'normalized_posts')) as rows_failed,
        count(*) as validation_runs
    from dq_runs
    group by 1
),

checks as (
    select
        timezone('Asia/Ho_Chi_Minh', recorded_at)::date as day,
        count(*) filter (where not success and severity = 'fail') as checks_failed,
        count(*) filter (where not success and severity = 'warn') as checks_warned
    from dq_results
    group by 1
),

quarantined as (
    select
        timezone('Asia/Ho_Chi_Minh', quarantined_at)::date as day,
        count(*) as quarantined
    from quarantine
    group by 1
)

select
    day,
    coalesce(r.validation_runs, 0) as validation_runs,
    coalesce(r.rows_validated, 0) as rows_validated,
    coalesce(r.rows_failed, 0) as rows_failed,
    coalesce(q.quarantined, 0) as quarantined,
    coalesce(c.checks_failed, 0) as checks_failed,
    coalesce(c.checks_warned, 0) as checks_warned
from runs as r
full outer join checks as c using (day)
full outer join quarantined as q using (day)
