-- units_without_official_page: units with no active official page in sources.yaml (R1: "units
-- without a page should open one"). Current registry state, not per day. Empty registry: no rows.
--
-- Columns:
--   unit_id, unit_name, level, parent_id   the unit
--   parent_name                the parent unit's name (null for the root)
--   inactive_official_pages    official pages registered but switched off (active: false)
--   watched_pages              watched pages registered under the unit (not its own)
create or replace view units_without_official_page as
with

unit_list as (
    select unit_id, name as unit_name, level, parent_id
    from units
),

page_counts as (
    select
        unit_id,
        count(*) filter (where kind = 'official' and active) as active_official_pages,
        count(*) filter (where kind = 'official' and not active) as inactive_official_pages,
        count(*) filter (where kind = 'watched') as watched_pages
    from sources
    where unit_id is not null
    group by unit_id
),

final as (
    select
        u.unit_id,
        u.unit_name,
        u.level,
        u.parent_id,
        parent.unit_name as parent_name,
        coalesce(pc.inactive_official_pages, 0) as inactive_official_pages,
        coalesce(pc.watched_pages, 0) as watched_pages
    from unit_list as u
    left join page_counts as pc on pc.unit_id = u.unit_id
    left join unit_list as parent on parent.unit_id = u.parent_id
    where coalesce(pc.active_official_pages, 0) = 0
)

select *
from final
order by unit_id;

comment on view units_without_official_page is 'Units with no active official page (R1). Columns: see sql/views/units_without_official_page.sql.';
