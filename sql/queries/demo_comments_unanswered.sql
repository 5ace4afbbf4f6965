-- Demo: comments on the official pages still waiting for an answer, oldest first.
select
    source_id,
    kind,
    round(age_hours)::integer as age_hours,
    left(text, 80) as text
from comments_unanswered
order by created_at
limit 12
