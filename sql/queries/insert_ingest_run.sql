insert into ingest_runs values (
    $run_id, $source_id, $started_at, $finished_at, $status, $message, $payloads, $fetched,
    $loaded_new, $loaded_changed, $unchanged, $duplicates, $quarantined, $landing_files
)
