-- Demo: impersonation suspects the data officer should look at, with the unit they pass for.
select
    suspect_id,
    status,
    round(score, 2) as score,
    platform,
    name,
    matched_unit_name
from impersonation_open
