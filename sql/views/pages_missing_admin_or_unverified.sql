-- pages_missing_admin_or_unverified: official pages that break R1: not verified with the platform,
-- or without a named admin contact (a name, and a phone or an email). Current registry state.
-- Empty registry: no rows.
--
-- Columns:
--   source_id, source_name, platform, url   the official page
--   unit_id, unit_name         the unit it belongs to
--   active                     false: registered but not collected
--   verified                   verified with the platform (sources.yaml `verified`)
--   admin_name, admin_phone, admin_email   the admin contact as registered
--   unverified                 not verified
--   missing_admin              no admin name
--   missing_admin_contact      no admin phone and no admin email
--   problems                   the codes that apply: unverified, missing_admin, missing_admin_contact
create or replace view pages_missing_admin_or_unverified as
with

official_pages as (
    select
        source_id,
        name as source_name,
        platform,
        url,
        unit_id,
        active,
        verified,
        admin_name,
        admin_phone,
        admin_email
    from sources
    where kind = 'official'
),

unit_names as (
    select unit_id, name as unit_name
    from units
),

checked as (
    select
        p.*,
        u.unit_name,
        not p.verified as unverified,
        coalesce(trim(p.admin_name), '') = '' as missing_admin,
        coalesce(trim(p.admin_phone), '') = '' and coalesce(trim(p.admin_email), '') = '' as missing_admin_contact
    from official_pages as p
    left join unit_names as u on u.unit_id = p.unit_id
),

final as (
    select
        source_id,
        source_name,
        platform,
        url,
        unit_id,
        unit_name,
        active,
        verified,
        admin_name,
        admin_phone,
        admin_email,
        unverified,
        missing_admin,
        missing_admin_contact,
        list_filter(
            [
                case when unverified then 'unverified' end,
                case when missing_admin then 'missing_admin' end,
                case when missing_admin_contact then 'missing_admin_contact' end
            ],
            x -> x is not null
        ) as problems
    from checked
    where unverified or missing_admin or missing_admin_contact
)

select *
from final
order by unit_id, source_id;

comment on view pages_missing_admin_or_unverified is 'Official pages not verified or without a named admin contact (R1). Columns: see sql/views/pages_missing_admin_or_unverified.sql.';
