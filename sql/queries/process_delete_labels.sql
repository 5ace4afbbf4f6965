-- Drop the labels of the posts about to be relabelled (labels_in is the registered batch).
delete from post_labels
where exists (
    select 1 from labels_in as l where l.platform = post_labels.platform and l.post_id = post_labels.post_id
)
