-- Rules (not tone rules) firing in the hour before $now far more than in the 12 hours before:
-- at least $min_count posts and $ratio times the hourly mean (floored at one an hour).
with hits as (
    select distinct h.rule_id, h.category, h.unit_id, p.platform, p.post_id, p.url, p.title, p.published_at
    from rule_hits as h
    inner join posts as p on p.platform = h.platform and p.post_id = h.post_id and p.version = h.version
    left join sources as s on s.source_id = p.source_id
    where
        h.category not in ('tone_positive', 'tone_negative')
        and coalesce(s.kind, '') <> 'official'
        and p.published_at > $now - interval 13 hours
        and p.published_at <= $now
        and p.first_seen_at <= $seen_by
),

counts as (
    select
        rule_id,
        min(unit_id) as unit_id,
        count(*) filter (where published_at > $now - interval 1 hour) as recent,
        count(*) filter (where published_at <= $now - interval 1 hour) as baseline,
        list(struct_pack(platform, post_id, url, title, published_at) order by published_at)
            filter (where published_at > $now - interval 1 hour) as posts
    from hits
    group by rule_id
)

select rule_id, unit_id, recent, baseline, baseline / 12.0 as baseline_rate, posts
from counts
where recent >= $min_count and recent >= $ratio * greatest(baseline / 12.0, 1.0)
order by rule_id
