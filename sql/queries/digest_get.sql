-- The stored digest of $day, if any.
select day, built_at, sent_at, sends, recipients, subject, message_id, eml_path, dry_run
from digests
where day = $day
