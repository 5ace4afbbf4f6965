-- Drop the rule hits of the posts about to be relabelled (every version: hits follow the label).
delete from rule_hits
where exists (
    select 1 from labels_in as l where l.platform = rule_hits.platform and l.post_id = rule_hits.post_id
)
