delete from ingest_runs where run_id = $run_id and source_id = $source_id
