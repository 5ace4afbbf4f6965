-- impersonation_open: suspects that need the data officer's attention (R3, R6), for the digest and
-- the UI: new suspects flagged by the last scan that saw them (score at or above the threshold in
-- include/config/impersonation.yaml), and confirmed impersonation not yet resolved. Dismissed and
-- resolved pages are not listed (all rows: table impersonation_suspects).
--
-- Columns (one row per suspect, confirmed first, then by score):
--   suspect_id           stable id (hash of platform and page key); `postwatch impersonation confirm ID`
--   status               new | confirmed
--   score                0..1, the sum of the weighted signals in evidence
--   platform             facebook, youtube, tiktok, zalo, rss, web, file
--   name, handle, url    the page as last seen
--   matched_unit_id      the unit it passes for, and matched_unit_name its official name
--   matched_source_id    that unit's official page it most likely imitates, and matched_source_name
--   origins              why it was scanned: watched, author, copies
--   posts                its posts in the last scan's window; last_post_at the latest (UTC)
--   evidence             JSON {"signals": [{signal, value, weight, contribution, detail}], "matched": {...}}
--   first_seen_at        when a scan first recorded it; last_scored_at the last scan that scored it
--   decided_by, decided_at, note   the officer's last decision (confirmed ones), else null
--   resurfaced_at        when a scan re-opened it after a dismissal or resolution, else null
create or replace view impersonation_open as
with

suspects as (
    select *
    from impersonation_suspects
    where (status = 'new' and flagged) or status = 'confirmed'
),

unit_names as (
    select unit_id, name as unit_name
    from units
),

source_names as (
    select source_id, name as source_name
    from sources
),

final as (
    select
        s.suspect_id,
        s.status,
        s.score,
        s.platform,
        s.name,
        s.handle,
        s.url,
        s.matched_unit_id,
        u.unit_name as matched_unit_name,
        s.matched_source_id,
        src.source_name as matched_source_name,
        s.origins,
        s.posts,
        s.last_post_at,
        s.evidence,
        s.first_seen_at,
        s.last_scored_at,
        s.decided_by,
        s.decided_at,
        s.note,
        s.resurfaced_at
    from suspects as s
    left join unit_names as u on u.unit_id = s.matched_unit_id
    left join source_names as src on src.source_id = s.matched_source_id
)

select *
from final
order by status = 'confirmed' desc, score desc, suspect_id;

comment on view impersonation_open is 'Suspects needing attention: new ones at or above the threshold, confirmed ones until resolved. Columns: see sql/views/impersonation_open.sql.';
