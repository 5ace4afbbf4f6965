select source_id, status, message
from source_state
where status not in ('ok', 'not_modified')
order by source_id
