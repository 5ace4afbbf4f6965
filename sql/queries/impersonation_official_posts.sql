-- Our official pages' posts that a candidate may have copied (the window plus a few days before it).
select
    p.platform,
    p.post_id,
    p.source_id,
    p.url,
    p.title,
    p.text,
    p.story_key,
    p.published_at
from posts as p
left join sources as s on s.source_id = p.source_id
where
    coalesce(s.kind, p.kind) = 'official'
    and p.local_date between $copy_start and $as_of
order by p.published_at, p.platform, p.post_id
