select
    s.source_id,
    s.platform,
    s.kind,
    count(p.post_id) as posts,
    min(p.local_date) as first_day,
    max(p.local_date) as last_day,
    coalesce(st.status, 'never polled') as last_status
from sources as s
left join posts as p on p.source_id = s.source_id
left join source_state as st on st.source_id = s.source_id
group by all
order by s.platform, s.source_id
