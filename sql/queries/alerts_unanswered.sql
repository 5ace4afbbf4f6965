-- Alerts still waiting for an answer, with their posts' story keys and the rules that fired on them.
select
    a.alert_id,
    a.unit_id,
    a.title,
    a.first_seen_at,
    list(distinct p.story_key) filter (where p.story_key is not null) as story_keys,
    list(distinct ap.platform || '|' || ap.post_id) filter (where ap.post_id is not null) as post_refs,
    list(distinct h.rule_id) filter (
        where h.rule_id is not null and h.category not in ('tone_positive', 'tone_negative')
    ) as rule_ids
from alerts as a
left join alert_posts as ap on ap.alert_id = a.alert_id
left join posts as p on p.platform = ap.platform and p.post_id = ap.post_id
left join rule_hits as h on h.platform = p.platform and h.post_id = p.post_id and h.version = p.version
where a.status in ('new', 'acknowledged')
group by all
order by a.first_seen_at, a.alert_id
