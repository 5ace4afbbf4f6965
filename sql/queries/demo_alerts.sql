-- Demo: hot alerts by kind and state, with how many were answered within the 2-hour rule.
select
    kind,
    status,
    count(*) as alerts,
    count(answered_at) as answered,
    count(*) filter (where answered_at <= first_seen_at + interval 2 hours) as answered_within_2h
from alerts
group by kind, status
order by kind, status
