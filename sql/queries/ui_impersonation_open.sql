-- Impersonation suspects for the UI page, in the view's order (confirmed first, then by score).
select
    suspect_id,
    status,
    score,
    platform,
    name,
    url,
    matched_unit_name,
    matched_source_name,
    posts,
    first_seen_at
from impersonation_open
limit $limit
