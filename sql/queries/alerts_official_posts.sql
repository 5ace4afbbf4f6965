-- Posts of our official pages published in ($since, $now], collected by $now, with the rules that
-- fired on them: the candidates for answering an alert.
select
    p.platform,
    p.post_id,
    p.source_id,
    s.unit_id,
    p.url,
    p.title,
    p.text,
    p.story_key,
    p.published_at,
    list(distinct h.rule_id) filter (where h.rule_id is not null) as rule_ids
from posts as p
inner join sources as s on s.source_id = p.source_id
left join rule_hits as h on h.platform = p.platform and h.post_id = p.post_id and h.version = p.version
where s.kind = 'official' and p.published_at > $since and p.published_at <= $now and p.first_seen_at <= $seen_by
group by all
order by p.published_at, p.post_id
