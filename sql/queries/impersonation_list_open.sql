-- Suspects needing attention (the impersonation_open view), for `postwatch impersonation list`.
select
    suspect_id,
    status,
    true as flagged,
    score,
    platform,
    name,
    handle,
    matched_unit_id,
    evidence,
    last_scored_at,
    decided_by,
    note
from impersonation_open
