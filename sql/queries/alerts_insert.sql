-- A new alert.
insert into alerts (
    alert_id, story_key, kind, unit_id, rule_id, title, url, severity, reason, status, created_at,
    first_seen_at, last_seen_at, posts, engagement, updated_at
)
values (
    $alert_id, $story_key, $kind, $unit_id, $rule_id, $title, $url, $severity, $reason, 'new', $now,
    $first_seen_at, $now, 0, $engagement, $now
)
