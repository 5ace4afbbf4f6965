select watermark, etag, last_modified, cursor, status, message, consecutive_failures
from source_state
where source_id = $source_id
