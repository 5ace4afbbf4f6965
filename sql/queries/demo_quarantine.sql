select source_id, stage, coalesce(item_id, '-') as item_id, reason
from quarantine
where status = 'open'
order by source_id, stage, reason
