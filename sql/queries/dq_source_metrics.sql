-- Per source, as of $now: the poll being judged ($run_id, or each source's latest), its
-- quarantine share, polls in a row that returned nothing, new posts against the band of the
-- source's earlier polls since $band_start, and time since the last successful fetch.
with runs as (
    select
        r.*,
        row_number() over (partition by r.source_id order by r.finished_at desc, r.run_id desc) as recency
    from ingest_runs as r
    where r.finished_at <= $now
),

judged as (
    select *
    from runs
    where
        ($run_id::varchar is null and recency = 1)
        or run_id = $run_id::varchar
    qualify row_number() over (partition by source_id order by finished_at desc) = 1
),

streak as (
    select
        source_id,
        coalesce(min(recency) filter (where fetched > 0) - 1, count(*)) as empty_streak
    from runs
    where recency <= $silent_polls
    group by source_id
),

band as (
    select
        r.source_id,
        count(*) as polls,
        avg(r.loaded_new) as mean,
        coalesce(stddev_samp(r.loaded_new), 0) as sd
    from runs as r
    inner join judged as j on r.source_id = j.source_id
    where r.finished_at >= $band_start and r.finished_at < j.finished_at
    group by r.source_id
),

first_poll as (
    select source_id, min(coalesce(started_at, finished_at)) as first_at
    from ingest_runs
    group by source_id
)

select
    s.source_id,
    s.name,
    s.poll_interval_min,
    st.status,
    st.message,
    st.consecutive_failures,
    st.last_success_at,
    j.run_id,
    coalesce(j.fetched, 0) as fetched,
    coalesce(j.quarantined, 0) as quarantined,
    case when j.fetched > 0 then j.quarantined::double / j.fetched end as bad_share,
    k.empty_streak,
    j.loaded_new as volume,
    case
        when b.polls >= $min_polls
            then greatest(0, b.mean - $width * greatest(b.sd, sqrt(b.mean), 1))
    end as band_low,
    case
        when b.polls >= $min_polls
            then b.mean + $width * greatest(b.sd, sqrt(b.mean), 1)
    end as band_high,
    b.polls as band_polls,
    epoch($now::timestamptz - coalesce(st.last_success_at, f.first_at)) / 3600.0 as hours_since_success,
    epoch($now::timestamptz - coalesce(st.last_success_at, f.first_at)) / 60.0
    / s.poll_interval_min as intervals_since_success
from sources as s
left join source_state as st on s.source_id = st.source_id
left join judged as j on s.source_id = j.source_id
left join streak as k on s.source_id = k.source_id
left join band as b on s.source_id = b.source_id
left join first_poll as f on s.source_id = f.source_id
where
    ($source_ids::varchar[] is null and s.active)
    or list_contains($source_ids::varchar[], s.source_id)
order by s.source_id
