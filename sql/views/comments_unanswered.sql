-- comments_unanswered: public comments on our official pages' posts that still wait for an answer
-- (R5). Contract view read by the digest: columns and kinds are fixed.
--
-- A top-level comment is answered when the page itself replied in its thread (comments.by_page).
-- Listed: comments of the kinds in comment_policy.report_kinds older than
-- comment_policy.answer_within_hours (the comments config; 24 h and question + complaint until a
-- comments run has written the policy). Comments written by the page are never listed.
--
-- Columns:
--   comment_id, platform      the comment (comments.comment_id)
--   post_id, source_id, unit_id   the official post commented on, its page and unit
--   text                      the comment's text (commenters are not named: see comments.author_hash)
--   created_at                when it was written (UTC)
--   kind                      'question' | 'complaint' | 'other'
--   age_hours                 hours since created_at, now
--   post_url                  link to the post (posts.url)
create or replace view comments_unanswered as
with

policy as (
    select
        coalesce(max(answer_within_hours), 24) as answer_within_hours,
        coalesce(max(report_kinds), ['question', 'complaint']) as report_kinds
    from comment_policy
),

answered as (
    select distinct platform, thread_id
    from comments
    where by_page and parent_id is not null
),

top_level as (
    select c.*
    from comments as c
    where
        c.parent_id is null
        and not c.by_page
        and not exists (
            select 1 from answered as a where a.platform = c.platform and a.thread_id = c.comment_id
        )
),

final as (
    select
        t.comment_id,
        t.platform,
        t.post_id,
        t.source_id,
        t.unit_id,
        t.text,
        t.created_at,
        t.kind,
        round(epoch(now() - t.created_at) / 3600.0, 1) as age_hours,
        p.url as post_url
    from top_level as t
    cross join policy as pol
    left join posts as p on p.platform = t.platform and p.post_id = t.post_id
    where
        list_contains(pol.report_kinds, t.kind)
        and epoch(now() - t.created_at) / 3600.0 >= pol.answer_within_hours
)

select *
from final
order by created_at;

comment on view comments_unanswered is 'Questions and complaints on official pages'' posts the page has not answered within the configured time (R5). Columns: see sql/views/comments_unanswered.sql.';
