-- Record a digest stored under var/digests/<day>/ (not yet sent).
insert into digests (day, built_at, sent_at, sends, recipients, subject, message_id, eml_path, dry_run)
values ($day, $built_at, $sent_at, $sends, $recipients, $subject, $message_id, $eml_path, $dry_run)
