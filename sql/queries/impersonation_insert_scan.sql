-- What one scan read and found.
insert into impersonation_scans (
    scan_id, as_of, window_start, started_at, finished_at, threshold,
    candidates, recorded, flagged, new_suspects, resurfaced
)
values (
    $scan_id, $as_of, $window_start, $started_at, $finished_at, $threshold,
    $candidates, $recorded, $flagged, $new_suspects, $resurfaced
)
