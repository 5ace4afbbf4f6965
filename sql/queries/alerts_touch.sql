-- After posts joined an alert: recount them, keep the earliest publication, raise the severity.
update alerts
set
    posts = (select count(*) from alert_posts as ap where ap.alert_id = $alert_id),
    engagement = greatest(engagement, $engagement),
    first_seen_at = least(first_seen_at, $first_seen_at),
    severity = case when $severity = 'critical' then 'critical' else severity end,
    last_seen_at = $now,
    updated_at = $now
where alert_id = $alert_id
