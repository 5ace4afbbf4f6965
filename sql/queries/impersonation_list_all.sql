-- Every recorded page, suspects first, for `postwatch impersonation list --all`.
select
    suspect_id,
    status,
    flagged,
    score,
    platform,
    name,
    handle,
    matched_unit_id,
    evidence,
    last_scored_at,
    decided_by,
    note
from impersonation_suspects
order by flagged desc, score desc, suspect_id
