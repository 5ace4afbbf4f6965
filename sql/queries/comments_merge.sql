-- Idempotent upsert by (platform, comment_id): an edited comment or new counts refresh in place,
-- first_seen_at stays.
merge into comments as c
using comments_in as i
    on c.platform = i.platform and c.comment_id = i.comment_id
when matched then update set
    post_id = i.post_id,
    source_id = i.source_id,
    unit_id = i.unit_id,
    parent_id = i.parent_id,
    thread_id = i.thread_id,
    author_hash = i.author_hash,
    by_page = i.by_page,
    text = i.text,
    created_at = i.created_at,
    kind = i.kind,
    cues = i.cues,
    likes = i.likes,
    replies = i.replies,
    landing_ref = i.landing_ref,
    refreshed_at = $now
when not matched then insert (
    platform, comment_id, post_id, source_id, unit_id, parent_id, thread_id, author_hash, by_page,
    text, created_at, kind, cues, likes, replies, landing_ref, first_seen_at, refreshed_at
) values (
    i.platform, i.comment_id, i.post_id, i.source_id, i.unit_id, i.parent_id, i.thread_id,
    i.author_hash, i.by_page, i.text, i.created_at, i.kind, i.cues, i.likes, i.replies,
    i.landing_ref, $now, $now
)
