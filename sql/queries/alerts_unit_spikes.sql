-- Units mentioned by relevant posts in the $recent interval before $now far more than in the
-- $periods intervals before that: at least $min_count posts and $ratio times the mean per interval
-- (floored at one). $press picks the press (compared a day against 14) or every other kind except
-- our own pages (an hour against 12). Returns the counts and the recent interval's posts.
with labels as (
    select platform, post_id, relevant, unit_ids
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
),

mentions as (
    select p.platform, p.post_id, p.url, p.title, p.published_at, u.unit_id
    from posts as p
    inner join labels as l on l.platform = p.platform and l.post_id = p.post_id
    left join sources as s on s.source_id = p.source_id
    cross join unnest(l.unit_ids) as u(unit_id)
    where
        l.relevant
        and coalesce(s.kind, '') <> 'official'
        and (coalesce(s.kind, '') = 'press') = $press
        and p.published_at > $now - $recent * ($periods + 1)
        and p.published_at <= $now
        and p.first_seen_at <= $seen_by
),

counts as (
    select
        unit_id,
        count(*) filter (where published_at > $now - $recent) as recent,
        count(*) filter (where published_at <= $now - $recent) as baseline,
        list(struct_pack(platform, post_id, url, title, published_at) order by published_at)
            filter (where published_at > $now - $recent) as posts
    from mentions
    group by unit_id
)

select unit_id, recent, baseline, baseline / $periods::double as baseline_rate, posts
from counts
where recent >= $min_count and recent >= $ratio * greatest(baseline / $periods::double, 1.0)
order by unit_id
