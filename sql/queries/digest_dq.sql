-- The data-quality line of the digest (view dq_summary_today: always one row).
select
    sources_active,
    sources_stale,
    stale_sources,
    sources_broken,
    broken_sources,
    rows_validated,
    rows_failed,
    quarantined_today,
    quarantine_open,
    checks_failed,
    checks_warned
from dq_summary_today
