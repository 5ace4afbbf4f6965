select
    r.suite,
    r.expectation,
    r.expectation_type,
    r.column_name,
    r.source_id,
    r.severity,
    r.element_count,
    r.unexpected_count,
    r.observed_value,
    r.message
from dq_results as r
inner join dq_runs as d on r.dq_run_id = d.dq_run_id
where
    d.run_id = $run_id
    and d.suite = 'load_reconciliation'
    and not r.success
    and r.severity = 'fail'
order by r.source_id
