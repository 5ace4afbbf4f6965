-- Keyword rules by hits on the current version of posts, per local day: what fired, how often,
-- on how many relevant posts, and the words it fired on (lower case, runs of white space such as
-- a line break inside a phrase as one space, distinct).
create or replace view rule_hits_top as
select
    p.local_date,
    h.rule_id,
    h.pack_id,
    h.pack_version,
    h.category,
    h.severity,
    h.unit_id,
    count(*)::bigint as hits,
    count(*) filter (where l.relevant)::bigint as relevant_hits,
    list_sort(list_distinct(flatten(list(list_transform(cast(h.spans as json[]), s -> regexp_replace(lower(s ->> 3), '\s+', ' ', 'g')))))) as words
from rule_hits as h
join posts as p on p.platform = h.platform and p.post_id = h.post_id and p.version = h.version
left join post_labels as l on l.platform = h.platform and l.post_id = h.post_id and l.version = h.version
group by p.local_date, h.rule_id, h.pack_id, h.pack_version, h.category, h.severity, h.unit_id
