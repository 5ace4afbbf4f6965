-- Current posts of a local-date range, in key order after a cursor (keyset pagination).
select
    p.platform, p.post_id, p.version, p.content_hash, p.source_id, p.unit_id, p.kind, p.url,
    p.title, p.text, p.author, p.local_date, p.shares
from posts as p
where
    p.local_date between $date_from and $date_to
    and (p.platform > $after_platform or (p.platform = $after_platform and p.post_id > $after_post_id))
order by p.platform, p.post_id
limit $limit
