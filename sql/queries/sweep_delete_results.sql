-- A re-run of the same sweep replaces its rows.
delete from sweep_results where sweep_id = $sweep_id
