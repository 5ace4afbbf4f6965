insert into rule_hits (
    platform, post_id, version, rule_id, pack_id, pack_version, category, severity, unit_id, spans, matched_at
)
select platform, post_id, version, rule_id, pack_id, pack_version, category, severity, unit_id, spans, matched_at
from hits_in
