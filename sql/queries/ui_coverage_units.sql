-- Relevant posts per unit and tone on $day, busiest unit first.
select
    c.unit_id,
    coalesce(u.name, c.unit_id) as unit_name,
    sum(c.posts) filter (where c.tone = 'positive')::bigint as positive,
    sum(c.posts) filter (where c.tone = 'negative')::bigint as negative,
    sum(c.posts) filter (where c.tone = 'neutral')::bigint as neutral,
    sum(c.posts)::bigint as total
from coverage_daily as c
left join units as u on c.unit_id = u.unit_id
where c.local_date = $day::date and c.unit_id is not null
group by c.unit_id, u.name
order by total desc, negative desc, c.unit_id
