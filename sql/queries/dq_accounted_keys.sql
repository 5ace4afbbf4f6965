-- What the warehouse holds for these sources: post ids (any source of the same platforms) and
-- quarantined records (by item id and by record hash), to account for landed items.
select 'post' as kind, platform as scope, post_id as key
from posts
where platform in (select distinct platform from sources where list_contains($source_ids::varchar[], source_id))
union all
select 'quarantine_item', source_id, item_id
from quarantine
where list_contains($source_ids::varchar[], source_id) and item_id is not null
union all
select 'quarantine_hash', source_id, record_hash
from quarantine
where list_contains($source_ids::varchar[], source_id)
