-- Relevant posts per local day and tone from $start to $end (inclusive): the digest's counts, its
-- 7-day baseline and its 14-day chart. Same rows as the coverage_daily view, summed over units.
with labels as (
    select platform, post_id, relevant, tone
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
)

select
    p.local_date,
    l.tone,
    count(*) as posts
from posts as p
inner join labels as l on l.platform = p.platform and l.post_id = p.post_id
where l.relevant and p.local_date between $start and $end
group by p.local_date, l.tone
order by p.local_date, l.tone
