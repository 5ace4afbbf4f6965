-- Relevant negative posts published in ($since, $now] and already collected by $now whose
-- engagement (likes + comments + shares) per hour since publication reaches $per_hour.
with labels as (
    select *
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
),

scored as (
    select
        p.platform,
        p.post_id,
        p.source_id,
        s.kind as source_kind,
        p.url,
        p.title,
        p.text,
        p.story_key,
        p.content_hash,
        p.published_at,
        l.unit_ids,
        coalesce(p.likes, 0) + coalesce(p.comments, 0) + coalesce(p.shares, 0) as engagement,
        greatest(date_diff('second', p.published_at, $now) / 3600.0, 0.25) as hours
    from posts as p
    inner join labels as l on l.platform = p.platform and l.post_id = p.post_id
    left join sources as s on s.source_id = p.source_id
    where
        l.relevant
        and l.tone = 'negative'
        and coalesce(s.kind, '') <> 'official'
        and p.published_at > $since
        and p.published_at <= $now
        and p.first_seen_at <= $seen_by
)

select *, engagement / hours as velocity
from scored
where engagement >= $min_engagement and engagement / hours >= $per_hour
order by published_at, post_id
