-- Relevant posts per local day, unit and tone (contract view: the digest and the UI sum it).
-- A post about two units counts once for each; posts about none of our units are left out.
create or replace view coverage_daily as
select
    p.local_date,
    u.unit_id,
    l.tone,
    count(*)::bigint as posts
from post_labels as l
join posts as p on p.platform = l.platform and p.post_id = l.post_id and p.version = l.version
cross join unnest(l.unit_ids) as u(unit_id)
where l.relevant
group by p.local_date, u.unit_id, l.tone
