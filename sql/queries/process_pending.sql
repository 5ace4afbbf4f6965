-- Posts whose current version has no label yet, or whose label is for another version or content.
select
    p.platform, p.post_id, p.version, p.content_hash, p.source_id, p.unit_id, p.kind, p.url,
    p.title, p.text, p.author, p.local_date, p.shares
from posts as p
left join post_labels as l on l.platform = p.platform and l.post_id = p.post_id
where l.post_id is null or l.version <> p.version or l.content_hash <> p.content_hash
order by p.platform, p.post_id
limit $limit
