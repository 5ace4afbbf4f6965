-- Alerts seen since $since, with the story keys, URLs and content hashes of their posts: what a new
-- candidate is grouped against.
select
    a.alert_id,
    a.story_key,
    a.kind,
    a.severity,
    a.title,
    a.url,
    a.status,
    a.posts,
    list(distinct p.story_key) filter (where p.story_key is not null) as story_keys,
    list(distinct p.url) filter (where p.url is not null) as urls,
    list(distinct p.content_hash) filter (where p.content_hash is not null) as hashes,
    list(distinct ap.platform || '|' || ap.post_id) filter (where ap.post_id is not null) as post_refs
from alerts as a
left join alert_posts as ap on ap.alert_id = a.alert_id
left join posts as p on p.platform = ap.platform and p.post_id = ap.post_id
where a.last_seen_at > $since or a.status <> 'answered'
group by all
order by a.alert_id
