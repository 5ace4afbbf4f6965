-- A post grouped into an alert, and how it matched.
insert into alert_posts (alert_id, platform, post_id, match, added_at)
values ($alert_id, $platform, $post_id, $match, $now)
