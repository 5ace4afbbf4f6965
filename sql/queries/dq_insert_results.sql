insert into dq_results (
    dq_run_id, suite, expectation, expectation_type, column_name, source_id, severity,
    element_count, unexpected_count, observed_value, success, message, recorded_at
)
select
    dq_run_id, suite, expectation, expectation_type, column_name, source_id, severity,
    element_count, unexpected_count, observed_value, success, message, $now as recorded_at
from dq_results_in
