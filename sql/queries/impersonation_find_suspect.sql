-- Suspects whose id starts with what the officer typed (a full id or a unique prefix).
select suspect_id, name, platform, status, score
from impersonation_suspects
where starts_with(suspect_id, $prefix)
order by suspect_id
limit 5
