-- Most-shared negative stories of the last 7 days: copies of one story (same story_key across
-- outlets and pages) grouped, shares and comments summed, widest reach first.
with anchor as (
    select max(local_date) as last_day from posts
)

select
    p.story_key,
    min(p.title) as title,
    count(*) as copies,
    count(distinct p.source_id) as sources,
    sum(coalesce(p.shares, 0)) as shares,
    sum(coalesce(p.comments, 0)) as comments,
    min(p.published_at) as first_published_at,
    list_sort(list_distinct(flatten(list(l.unit_ids)))) as units
from posts as p
inner join post_labels as l on p.platform = l.platform and p.post_id = l.post_id
cross join anchor as a
where
    l.relevant
    and l.tone = 'negative'
    and p.local_date between a.last_day - 6 and a.last_day
group by p.story_key
order by shares desc, comments desc, copies desc
limit 20
