-- Comments in the staged batch not stored before.
select count(*)
from comments_in as i
where not exists (
    select 1 from comments as c where c.platform = i.platform and c.comment_id = i.comment_id
)
