insert into process_runs (run_id, started_at, finished_at, mode, posts, hits, pack_version, model_version)
values ($run_id, $started_at, $finished_at, $mode, $posts, $hits, $pack_version, $model_version)
