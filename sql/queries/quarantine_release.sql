-- The record now loads: its row, and any other open row for the same record, are released.
update quarantine
set status = 'released', released_at = $now
where
    status = 'open'
    and (quarantine_id = $quarantine_id or (source_id = $source_id and record_hash = $record_hash))
