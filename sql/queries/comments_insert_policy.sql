insert into comment_policy (answer_within_hours, report_kinds, lookback_days, updated_at)
values ($answer_within_hours, $report_kinds, $lookback_days, $now)
