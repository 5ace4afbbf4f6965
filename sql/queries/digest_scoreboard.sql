-- Each unit's official posting on $day and over the 7 days ending it (view unit_scoreboard_last7d).
select
    unit_id,
    unit_name,
    level,
    official_pages,
    official_posts_day,
    official_posts_7d,
    positive_share_7d,
    engagement_7d,
    days_since_last_post
from unit_scoreboard_last7d
where local_date = $day
order by official_posts_day desc, official_posts_7d desc, unit_id
