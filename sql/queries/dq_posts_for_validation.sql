-- Stored posts (current versions) published on local days $start..$end, shaped like a load batch
-- (BATCH_SCHEMA) so the normalized_posts suite can re-validate them.
select
    (row_number() over (order by p.platform, p.post_id) - 1)::bigint as seq,
    p.platform,
    p.post_id,
    p.source_id,
    p.unit_id,
    p.kind,
    p.url,
    p.title,
    p.text,
    p.author,
    p.author_id,
    p.published_at,
    p.updated_at,
    p.local_date,
    p.lang,
    p.likes,
    p.comments,
    p.shares,
    p.views,
    p.content_hash,
    p.story_key,
    p.encoding_fix,
    v.title_original,
    v.text_original,
    coalesce(v.fetched_at, p.first_seen_at) as fetched_at,
    v.landing_ref
from posts as p
left join post_versions as v
    on p.platform = v.platform and p.post_id = v.post_id and p.version = v.version
where
    p.local_date between $start and $end
    and ($source_ids::varchar[] is null or list_contains($source_ids::varchar[], p.source_id))
order by seq
