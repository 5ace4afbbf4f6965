-- Demo: each unit's official pages over the 7 days ending on $day.
select
    unit_id,
    official_pages,
    official_posts_day,
    official_posts_7d,
    round(positive_share_7d, 2) as positive_share_7d,
    engagement_7d,
    days_since_last_post
from unit_scoreboard_last7d
where local_date = $day
order by unit_id
