-- Compare each incoming post with the stored one: new, changed (an edit), unchanged,
-- or stale (an older version than the one stored, e.g. a replayed payload).
create or replace temp table batch_classified as
select
    b.seq,
    p.version as old_version,
    case
        when p.post_id is null then 'new'
        when p.content_hash = b.content_hash then 'unchanged'
        when coalesce(b.updated_at, b.published_at) < coalesce(p.updated_at, p.published_at) then 'stale'
        else 'changed'
    end as change,
    p.post_id is not null
    and p.content_hash = b.content_hash
    and (
        p.likes is distinct from b.likes
        or p.comments is distinct from b.comments
        or p.shares is distinct from b.shares
        or p.views is distinct from b.views
    ) as counts_changed
from batch_latest as b
left join posts as p
    on p.platform = b.platform and p.post_id = b.post_id
