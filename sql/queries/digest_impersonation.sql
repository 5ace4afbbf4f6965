-- Impersonation suspects needing attention (view impersonation_open), confirmed first, then by score.
select suspect_id, status, score, platform, name, url, matched_unit_name, posts, first_seen_at
from impersonation_open
