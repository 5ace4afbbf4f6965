-- Units whose official pages published nothing for the last 7 days (as of the latest collected
-- day), longest silence first; units without any official page are in units_without_official_page.
select
    unit_id,
    unit_name,
    level,
    official_pages,
    last_official_post_date,
    days_silent,
    never_posted
from units_silent
where
    local_date = (select max(local_date) from units_silent)
    and official_posts_7d = 0
order by days_silent desc nulls first, unit_id
