-- Posts already stored: edits bump the version, engagement refreshes in place (new posts are
-- inserted by insert_new_posts). (DuckLake's MERGE allows one UPDATE action, hence the CASE.)
merge into posts as p
using (
    select
        b.*,
        c.change
    from batch_classified as c
    inner join batch_in as b on b.seq = c.seq
    where c.change = 'changed' or c.counts_changed
) as b
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
