-- Posts of pages that are neither ours nor the press, in the scan window: the candidates' own posts.
-- The current registry decides a source's kind; a source no longer in it keeps the kind it was loaded with.
select
    p.platform,
    p.post_id,
    p.source_id,
    p.author,
    p.author_id,
    p.url,
    p.title,
    p.text,
    p.story_key,
    p.published_at
from posts as p
left join sources as s on s.source_id = p.source_id
where
    coalesce(s.kind, p.kind) not in ('official', 'press')
    and p.local_date between $window_start and $as_of
order by p.published_at, p.platform, p.post_id
