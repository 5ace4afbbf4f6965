-- Coverage by unit this week: relevant posts per unit and tone over the 7 local days ending on the
-- latest day with posts (replace the anchor with date '2026-11-22' for another week).
with anchor as (
    select max(local_date) as last_day from coverage_daily
)

select
    c.unit_id,
    u.name as unit_name,
    coalesce(sum(c.posts) filter (where c.tone = 'positive'), 0) as positive,
    coalesce(sum(c.posts) filter (where c.tone = 'negative'), 0) as negative,
    coalesce(sum(c.posts) filter (where c.tone = 'neutral'), 0) as neutral,
    sum(c.posts) as total,
    round(coalesce(sum(c.posts) filter (where c.tone = 'negative'), 0) / sum(c.posts), 2) as negative_share
from coverage_daily as c
cross join anchor as a
left join units as u on c.unit_id = u.unit_id
where c.local_date between a.last_day - 6 and a.last_day
group by c.unit_id, u.name
order by total desc, c.unit_id
