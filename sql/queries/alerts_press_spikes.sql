-- Units mentioned by the press in the day before $now far more than on the 14 days before: at least
-- $min_count articles and $ratio times the daily mean (floored at one a day).
with labels as (
    select platform, post_id, relevant, unit_ids
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
),

mentions as (
    select p.platform, p.post_id, p.url, p.title, p.published_at, u.unit_id
    from posts as p
    inner join labels as l on l.platform = p.platform and l.post_id = p.post_id
    inner join sources as s on s.source_id = p.source_id
    cross join unnest(l.unit_ids) as u(unit_id)
    where
        l.relevant
        and s.kind = 'press'
        and p.published_at > $now - interval 15 days
        and p.published_at <= $now
        and p.first_seen_at <= $seen_by
),

counts as (
    select
        unit_id,
        count(*) filter (where published_at > $now - interval 1 day) as recent,
        count(*) filter (where published_at <= $now - interval 1 day) as baseline,
        list(struct_pack(platform, post_id, url, title, published_at) order by published_at)
            filter (where published_at > $now - interval 1 day) as posts
    from mentions
    group by unit_id
)

select unit_id, recent, baseline, baseline / 14.0 as baseline_rate, posts
from counts
where recent >= $min_count and recent >= $ratio * greatest(baseline / 14.0, 1.0)
order by unit_id
