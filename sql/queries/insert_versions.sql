insert into post_versions
select
    b.platform,
    b.post_id,
    coalesce(c.old_version, 0) + 1 as version,
    b.content_hash,
    b.title,
    b.text,
    b.title_original,
    b.text_original,
    b.updated_at,
    b.fetched_at,
    b.landing_ref,
    $now as recorded_at
from batch_classified as c
inner join batch_in as b on b.seq = c.seq
where c.change in ('new', 'changed')
