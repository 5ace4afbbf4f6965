-- Records quarantined today (Asia/Ho_Chi_Minh), with the check that failed and why.
create or replace view dq_quarantine_today as
select
    q.quarantine_id,
    q.source_id,
    s.name as source_name,
    q.stage,
    q.expectation,
    q.item_id,
    q.reason,
    q.status,
    q.quarantined_at
from quarantine as q
left join sources as s on q.source_id = s.source_id
where timezone('Asia/Ho_Chi_Minh', q.quarantined_at)::date = timezone('Asia/Ho_Chi_Minh', now())::date
