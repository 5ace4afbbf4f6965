-- Demo: today's data-quality line, as the digest shows it.
select
    sources_active,
    sources_stale,
    sources_broken,
    quarantine_open,
    checks_failed,
    checks_warned
from dq_summary_today
