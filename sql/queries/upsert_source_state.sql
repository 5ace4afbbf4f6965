merge into source_state as s
using (
    select
        $source_id as source_id,
        $watermark::timestamptz as watermark,
        $etag as etag,
        $last_modified as last_modified,
        $cursor as cursor,
        $status as status,
        $message as message,
        $attempt_at::timestamptz as attempt_at,
        $success::boolean as success
) as n
    on s.source_id = n.source_id
when matched then update set
    watermark = coalesce(n.watermark, s.watermark),
    etag = coalesce(n.etag, s.etag),
    last_modified = coalesce(n.last_modified, s.last_modified),
    cursor = coalesce(n.cursor, s.cursor),
    status = n.status,
    message = n.message,
    last_attempt_at = n.attempt_at,
    last_success_at = case when n.success then n.attempt_at else s.last_success_at end,
    consecutive_failures = case when n.success then 0 else s.consecutive_failures + 1 end,
    updated_at = n.attempt_at
when not matched then insert values (
    n.source_id, n.watermark, n.etag, n.last_modified, n.cursor, n.status, n.message,
    n.attempt_at, case when n.success then n.attempt_at end, case when n.success then 0 else 1 end,
    n.attempt_at
)
