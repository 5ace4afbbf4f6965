-- unit_scoreboard_daily: what each unit's own official pages published, per local day (R1, R9).
--
-- Grain: one row per unit (units.yaml) and local day (Asia/Ho_Chi_Minh), for every day from the
-- first collected post to today, so a silent day is a row of zeros, not a missing row. A unit's
-- official pages are the sources currently registered as kind official for it (sources.yaml);
-- departments and communes are not rolled up into their parent. Empty warehouse: no rows.
--
-- Columns:
--   local_date               the local day (posts.local_date)
--   unit_id, unit_name, level, parent_id   the unit
--   official_pages           active official pages registered for the unit (0: no page, see units_without_official_page)
--   official_posts           posts its official pages published that day
--   labelled_posts           of those, posts with a tone label (post_labels)
--   positive_posts, negative_posts, neutral_posts   of those, by tone
--   positive_share           positive_posts / labelled_posts (null when none is labelled)
--   likes, comments, shares, views   engagement summed over the day's official posts (missing counts as 0)
--   engagement               likes + comments + shares (views are not interactions)
--   last_official_post_date  the latest day up to local_date with an official post (null: none yet)
--   days_since_last_post     local_date - last_official_post_date (0 on a day it posted; null: never posted)
create or replace view unit_scoreboard_daily as
with

unit_list as (
    select unit_id, name as unit_name, level, parent_id
    from units
),

official_pages as (
    select source_id, unit_id, active
    from sources
    where kind = 'official' and unit_id is not null
),

page_counts as (
    select unit_id, count(*) filter (where active) as official_pages
    from official_pages
    group by unit_id
),

official_posts as (
    select p.platform, p.post_id, pg.unit_id, p.local_date, p.likes, p.comments, p.shares, p.views
    from posts as p
    inner join official_pages as pg on pg.source_id = p.source_id
),

labels as (
    select platform, post_id, tone
    from post_labels
    qualify row_number() over (partition by platform, post_id order by processed_at desc) = 1
),

bounds as (
    select
        min(local_date) as first_day,
        greatest(max(local_date), (now() at time zone 'Asia/Ho_Chi_Minh')::date) as last_day
    from posts
),

days as (
    select cast(d.day as date) as local_date
    from bounds as b, range(b.first_day, b.last_day + interval 1 day, interval 1 day) as d(day)
    where b.first_day is not null
),

daily_posts as (
    select
        op.unit_id,
        op.local_date,
        count(*) as official_posts,
        count(l.tone) as labelled_posts,
        count(*) filter (where l.tone = 'positive') as positive_posts,
        count(*) filter (where l.tone = 'negative') as negative_posts,
        count(*) filter (where l.tone = 'neutral') as neutral_posts,
        cast(coalesce(sum(op.likes), 0) as bigint) as likes,
        cast(coalesce(sum(op.comments), 0) as bigint) as comments,
        cast(coalesce(sum(op.shares), 0) as bigint) as shares,
        cast(coalesce(sum(op.views), 0) as bigint) as views
    from official_posts as op
    left join labels as l on l.platform = op.platform and l.post_id = op.post_id
    group by op.unit_id, op.local_date
),

grid as (
    select
        d.local_date,
        u.unit_id,
        u.unit_name,
        u.level,
        u.parent_id,
        coalesce(pc.official_pages, 0) as official_pages,
        coalesce(dp.official_posts, 0) as official_posts,
        coalesce(dp.labelled_posts, 0) as labelled_posts,
        coalesce(dp.positive_posts, 0) as positive_posts,
        coalesce(dp.negative_posts, 0) as negative_posts,
        coalesce(dp.neutral_posts, 0) as neutral_posts,
        coalesce(dp.likes, 0) as likes,
        coalesce(dp.comments, 0) as comments,
        coalesce(dp.shares, 0) as shares,
        coalesce(dp.views, 0) as views
    from days as d
    cross join unit_list as u
    left join page_counts as pc on pc.unit_id = u.unit_id
    left join daily_posts as dp on dp.unit_id = u.unit_id and dp.local_date = d.local_date
),

final as (
    select
        local_date,
        unit_id,
        unit_name,
        level,
        parent_id,
        official_pages,
        official_posts,
        labelled_posts,
        positive_posts,
        negative_posts,
        neutral_posts,
        positive_posts / nullif(labelled_posts, 0) as positive_share,
        likes,
        comments,
        shares,
        views,
        likes + comments + shares as engagement,
        max(case when official_posts > 0 then local_date end) over (
            partition by unit_id order by local_date rows between unbounded preceding and current row
        ) as last_official_post_date
    from grid
)

select
    *,
    local_date - last_official_post_date as days_since_last_post
from final;

comment on view unit_scoreboard_daily is 'Per unit and local day: official posts, tone of them, engagement, days since the last official post. Columns: see sql/views/unit_scoreboard_daily.sql.';
