-- Posts published in ($since, $now] (collected by $now) on which a rule of severity critical fired,
-- one row per post with the critical rules that fired and the unit owning the first of them.
with labels as (
    select platform, post_id, relevant, unit_ids
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
)

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
    list(distinct h.rule_id order by h.rule_id) as rule_ids,
    min(h.unit_id) as rule_unit_id
from posts as p
inner join rule_hits as h on h.platform = p.platform and h.post_id = p.post_id and h.version = p.version
left join labels as l on l.platform = p.platform and l.post_id = p.post_id
left join sources as s on s.source_id = p.source_id
where
    h.severity = 'critical'
    and coalesce(l.relevant, true)
    and coalesce(s.kind, '') <> 'official'
    and p.published_at > $since
    and p.published_at <= $now
    and p.first_seen_at <= $seen_by
group by all
order by p.published_at, p.post_id
