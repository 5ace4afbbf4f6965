-- Idempotent upsert by (platform, post_id): edits bump the version, engagement refreshes in place.
-- (DuckLake's MERGE allows one UPDATE action, hence the CASE on version.)
merge into posts as p
using (select * from batch_classified where change in ('new', 'changed') or counts_changed) as b
    on p.platform = b.platform and p.post_id = b.post_id
when matched then update set
    source_id = b.source_id,
    unit_id = b.unit_id,
    kind = b.kind,
    url = b.url,
    title = b.title,
    text = b.text,
    author = b.author,
    author_id = b.author_id,
    published_at = b.published_at,
    updated_at = b.updated_at,
    local_date = b.local_date,
    lang = b.lang,
    likes = b.likes,
    comments = b.comments,
    shares = b.shares,
    views = b.views,
    content_hash = b.content_hash,
    story_key = b.story_key,
    encoding_fix = b.encoding_fix,
    version = case when b.change = 'changed' then p.version + 1 else p.version end,
    refreshed_at = $now
when not matched then insert (
    platform, post_id, source_id, unit_id, kind, url, title, text, author, author_id,
    published_at, updated_at, local_date, lang, likes, comments, shares, views,
    content_hash, story_key, encoding_fix, version, first_seen_at, refreshed_at
) values (
    b.platform, b.post_id, b.source_id, b.unit_id, b.kind, b.url, b.title, b.text, b.author,
    b.author_id, b.published_at, b.updated_at, b.local_date, b.lang, b.likes, b.comments,
    b.shares, b.views, b.content_hash, b.story_key, b.encoding_fix, 1, $now, $now
)
