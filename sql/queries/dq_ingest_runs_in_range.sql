-- Ingest runs finished on local days $start..$end, with the landing files they read.
select run_id, source_id, fetched, landing_files
from ingest_runs
where
    timezone('Asia/Ho_Chi_Minh', finished_at)::date between $start and $end
    and ($source_ids::varchar[] is null or list_contains($source_ids::varchar[], source_id))
order by finished_at, source_id
