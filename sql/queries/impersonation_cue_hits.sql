-- impersonation_cue keyword-rule hits on the current version of candidates' posts in the window.
select
    h.platform,
    h.post_id,
    list(distinct h.rule_id order by h.rule_id) as rule_ids
from rule_hits as h
join posts as p on p.platform = h.platform and p.post_id = h.post_id and p.version = h.version
left join sources as s on s.source_id = p.source_id
where
    h.category = 'impersonation_cue'
    and coalesce(s.kind, p.kind) not in ('official', 'press')
    and p.local_date between $window_start and $as_of
group by h.platform, h.post_id
