-- units_silent: units with an official page that published nothing on local_date (R9), with how long
-- they have been silent. The digest for day D reads `where local_date = D order by days_silent desc`.
-- Units with no active official page are not here: see units_without_official_page.
--
-- Grain: one row per silent unit and local day (from unit_scoreboard_last7d, so this file sorts after it).
--
-- Columns:
--   local_date                 the day the unit was silent
--   unit_id, unit_name, level, parent_id, official_pages
--   official_posts_7d          official posts in the 7 days ending local_date (0: silent all week)
--   last_official_post_date    its latest official post day before local_date (null: never in the collected data)
--   days_silent                days since that post (null: never posted)
--   never_posted               true when no official post of the unit was ever collected up to local_date
create or replace view units_silent as
with

scoreboard as (
    select *
    from unit_scoreboard_last7d
),

final as (
    select
        local_date,
        unit_id,
        unit_name,
        level,
        parent_id,
        official_pages,
        official_posts_7d,
        last_official_post_date,
        days_since_last_post as days_silent,
        last_official_post_date is null as never_posted
    from scoreboard
    where official_pages > 0 and official_posts_day = 0
)

select *
from final;

comment on view units_silent is 'Units with an official page that posted nothing on the day, and since when. Columns: see sql/views/units_silent.sql.';
