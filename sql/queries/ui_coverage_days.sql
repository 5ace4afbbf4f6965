-- Relevant posts per local day and tone over the 14 days ending on $day, summed over units as the
-- digest does (a post about two units counts for each).
select
    local_date,
    tone,
    sum(posts)::bigint as posts
from coverage_daily
where local_date between $day::date - 13 and $day::date
group by local_date, tone
order by local_date, tone
