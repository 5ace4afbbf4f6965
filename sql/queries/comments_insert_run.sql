insert into comment_runs (
    run_id, source_id, started_at, finished_at, status, message, posts, posts_skipped, payloads,
    comments, new_comments
) values (
    $run_id, $source_id, $started_at, $finished_at, $status, $message, $posts, $posts_skipped,
    $payloads, $comments, $new_comments
)
