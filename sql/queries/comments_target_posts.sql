-- Posts whose comments the comments run reads: the official Facebook pages' and YouTube channels'
-- own posts published on the local days window_start .. as_of.
select
    p.platform,
    p.post_id,
    p.source_id,
    coalesce(p.unit_id, s.unit_id) as unit_id,
    p.url,
    p.published_at
from posts as p
inner join sources as s on s.source_id = p.source_id
where
    s.kind = 'official'
    and s.active
    and p.platform in ('facebook', 'youtube')
    and p.local_date between $window_start and $as_of
order by p.source_id, p.published_at, p.post_id
