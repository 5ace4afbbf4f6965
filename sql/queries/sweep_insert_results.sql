insert into sweep_results (
    sweep_id, query, date_from, date_to, platform, post_id, version, local_date, source_id, unit_id, kind,
    url, title, spans, swept_at
)
select
    sweep_id, query, date_from, date_to, platform, post_id, version, local_date, source_id, unit_id, kind,
    url, title, spans, swept_at
from sweep_in
