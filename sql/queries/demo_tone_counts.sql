-- Demo: tone of the relevant posts of one local day and of the whole window, from coverage_daily
-- (a post about two units counts once here).
select
    l.tone,
    count(*) filter (where p.local_date = $day)::bigint as posts_on_day,
    count(*)::bigint as posts_in_window
from post_labels as l
join posts as p on p.platform = l.platform and p.post_id = l.post_id and p.version = l.version
where l.relevant and p.local_date <= $day
group by l.tone
order by case l.tone when 'positive' then 1 when 'negative' then 2 else 3 end
