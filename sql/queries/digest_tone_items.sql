-- Relevant posts of one tone published on local day $day, from pages that are not our own official
-- pages: the negative items needing an answer, or the most positive items. With the rule hits and
-- tone cues behind the label and the state of the alert the post belongs to, if any.
with labels as (
    select *
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
),

hits as (
    select platform, post_id, version, string_agg(distinct rule_id, ', ' order by rule_id) as rules
    from rule_hits
    group by platform, post_id, version
),

alert_of_post as (
    select ap.platform, ap.post_id, a.alert_id, a.status, a.first_seen_at, a.answered_at
    from alert_posts as ap
    inner join alerts as a on a.alert_id = ap.alert_id
    qualify row_number() over (partition by ap.platform, ap.post_id order by a.created_at) = 1
)

select
    p.platform,
    p.post_id,
    coalesce(s.name, p.source_id) as source_name,
    s.kind as source_kind,
    p.url,
    p.title,
    p.text,
    p.published_at,
    coalesce(p.likes, 0) + coalesce(p.comments, 0) + coalesce(p.shares, 0) as engagement,
    l.tone_score,
    l.tone_cues,
    h.rules,
    l.unit_ids,
    a.alert_id,
    a.status as alert_status,
    cast(date_diff('minute', a.first_seen_at, a.answered_at) as bigint) as minutes_to_answer
from posts as p
inner join labels as l on l.platform = p.platform and l.post_id = p.post_id
left join sources as s on s.source_id = p.source_id
left join hits as h on h.platform = p.platform and h.post_id = p.post_id and h.version = p.version
left join alert_of_post as a on a.platform = p.platform and a.post_id = p.post_id
where
    l.relevant
    and l.tone = $tone
    and p.local_date = $day
    and coalesce(s.kind, '') <> 'official'
order by
    case when $tone = 'negative' then l.tone_score else -l.tone_score end,
    engagement desc,
    p.published_at,
    p.post_id
