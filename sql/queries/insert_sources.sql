insert into sources
select
    source_id, name, unit_id, platform, kind, url, handle, page_id, channel_id, verified,
    admin_name, admin_phone, admin_email, active, poll_interval_min, conn_id, since,
    $now as loaded_at
from sources_in
