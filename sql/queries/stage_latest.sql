-- Resolve duplicates inside one batch explicitly: the latest version of each post wins
-- (by updated time, then publication, then fetch time, then arrival order).
-- Only the keys and what classification compares are copied; the wide columns stay in
-- batch_in and are fetched by seq for the rows that are written.
create or replace temp table batch_latest as
select
    seq,
    platform,
    post_id,
    content_hash,
    updated_at,
    published_at,
    likes,
    comments,
    shares,
    views
from batch_in
qualify row_number() over (
    partition by platform, post_id
    order by coalesce(updated_at, published_at) desc, fetched_at desc, seq desc
) = 1
