-- Demo: the keyword rules that fired most over the window up to $day, with the words they fired on.
select
    rule_id,
    category,
    severity,
    sum(hits)::bigint as hits,
    sum(relevant_hits)::bigint as relevant_hits,
    list_sort(list_distinct(flatten(list(words))))[1:5] as words
from rule_hits_top
where local_date <= $day
group by rule_id, category, severity
order by hits desc, rule_id
limit $limit
