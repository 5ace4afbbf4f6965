-- unit_scoreboard_last7d: each unit's official posting over the 7 local days ending on local_date,
-- next to that day's own numbers (R1, R9). The digest for day D reads `where local_date = D`.
--
-- Grain: one row per unit and local day, the same rows as unit_scoreboard_daily (read from it, so
-- this file sorts after it). The window is local_date - 6 .. local_date; days before the first
-- collected post count as zero. Empty warehouse: no rows.
--
-- Columns:
--   local_date                 the last day of the window
--   unit_id, unit_name, level, parent_id, official_pages   as in unit_scoreboard_daily
--   official_posts_day         official posts on local_date
--   official_posts_7d          official posts in the 7 days
--   active_days_7d             days of the 7 with at least one official post
--   labelled_posts_7d, positive_posts_7d, negative_posts_7d   tone of the 7 days' official posts
--   positive_share_day         positive share of local_date's labelled official posts (null: none labelled)
--   positive_share_7d          positive_posts_7d / labelled_posts_7d (null: none labelled)
--   engagement_day, engagement_7d   likes + comments + shares on the day / over the 7 days
--   likes_7d, comments_7d, shares_7d, views_7d   engagement parts over the 7 days
--   last_official_post_date    the latest day up to local_date with an official post (null: none yet)
--   days_since_last_post       local_date - last_official_post_date (null: never posted)
create or replace view unit_scoreboard_last7d as
with

daily as (
    select *
    from unit_scoreboard_daily
),

windowed as (
    select
        local_date,
        unit_id,
        unit_name,
        level,
        parent_id,
        official_pages,
        official_posts as official_posts_day,
        sum(official_posts) over last7 as official_posts_7d,
        count(*) filter (where official_posts > 0) over last7 as active_days_7d,
        sum(labelled_posts) over last7 as labelled_posts_7d,
        sum(positive_posts) over last7 as positive_posts_7d,
        sum(negative_posts) over last7 as negative_posts_7d,
        positive_share as positive_share_day,
        engagement as engagement_day,
        sum(engagement) over last7 as engagement_7d,
        sum(likes) over last7 as likes_7d,
        sum(comments) over last7 as comments_7d,
        sum(shares) over last7 as shares_7d,
        sum(views) over last7 as views_7d,
        last_official_post_date,
        days_since_last_post
    from daily
    window last7 as (
        partition by unit_id order by local_date range between interval 6 days preceding and current row
    )
),

final as (
    select
        local_date,
        unit_id,
        unit_name,
        level,
        parent_id,
        official_pages,
        official_posts_day,
        cast(official_posts_7d as bigint) as official_posts_7d,
        active_days_7d,
        cast(labelled_posts_7d as bigint) as labelled_posts_7d,
        cast(positive_posts_7d as bigint) as positive_posts_7d,
        cast(negative_posts_7d as bigint) as negative_posts_7d,
        positive_share_day,
        positive_posts_7d / nullif(labelled_posts_7d, 0) as positive_share_7d,
        engagement_day,
        cast(engagement_7d as bigint) as engagement_7d,
        cast(likes_7d as bigint) as likes_7d,
        cast(comments_7d as bigint) as comments_7d,
        cast(shares_7d as bigint) as shares_7d,
        cast(views_7d as bigint) as views_7d,
        last_official_post_date,
        days_since_last_post
    from windowed
)

select *
from final;

comment on view unit_scoreboard_last7d is 'Per unit and local day: official posts, positive share and engagement over the 7 days ending that day. Columns: see sql/views/unit_scoreboard_last7d.sql.';
