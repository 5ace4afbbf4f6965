insert into post_versions
select
    platform,
    post_id,
    coalesce(old_version, 0) + 1 as version,
    content_hash,
    title,
    text,
    title_original,
    text_original,
    updated_at,
    fetched_at,
    landing_ref,
    $now as recorded_at
from batch_classified
where change in ('new', 'changed')
