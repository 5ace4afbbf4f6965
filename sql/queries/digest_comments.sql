-- Comments on our official pages still unanswered (view comments_unanswered), oldest first.
select comment_id, platform, unit_id, text, created_at, kind, age_hours, post_url
from comments_unanswered
order by age_hours desc, comment_id
