-- The day the UI page shows: the requested day when it has coverage, else the latest earlier day
-- that has some (null: no coverage at all up to that day).
select max(local_date) as local_date
from coverage_daily
where local_date <= $day::date
