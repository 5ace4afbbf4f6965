-- `postwatch comments unanswered`: the contract view, oldest first.
select comment_id, platform, unit_id, kind, age_hours, text, post_url
from comments_unanswered
order by created_at
