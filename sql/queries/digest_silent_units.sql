-- Units with an official page that published nothing on $day, longest silent first (view units_silent).
select unit_id, unit_name, official_posts_7d, last_official_post_date, days_silent, never_posted
from units_silent
where local_date = $day
order by never_posted desc, days_silent desc nulls first, unit_id
