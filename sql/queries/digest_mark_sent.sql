-- The digest of $day went out: when, and one more send.
update digests set sent_at = $sent_at, sends = sends + 1 where day = $day
