-- Posts seen for the first time: a plain insert (no join against the stored posts), version 1.
insert into posts (
    platform, post_id, source_id, unit_id, kind, url, title, text, author, author_id,
    published_at, updated_at, local_date, lang, likes, comments, shares, views,
    content_hash, story_key, encoding_fix, version, first_seen_at, refreshed_at
)
select
    b.platform,
    b.post_id,
    b.source_id,
    b.unit_id,
    b.kind,
    b.url,
    b.title,
    b.text,
    b.author,
    b.author_id,
    b.published_at,
    b.updated_at,
    b.local_date,
    b.lang,
    b.likes,
    b.comments,
    b.shares,
    b.views,
    b.content_hash,
    b.story_key,
    b.encoding_fix,
    1 as version,
    $now as first_seen_at,
    $now as refreshed_at
from batch_classified as c
inner join batch_in as b on b.seq = c.seq
where c.change = 'new'
