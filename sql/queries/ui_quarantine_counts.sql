-- Quarantined records still open (not released), in total and by stage.
select
    count(*) as open_records,
    count(*) filter (where stage = 'parse') as parse_stage,
    count(*) filter (where stage = 'normalize') as normalize_stage,
    count(*) filter (where stage = 'validate') as validate_stage
from quarantine
where status = 'open'
