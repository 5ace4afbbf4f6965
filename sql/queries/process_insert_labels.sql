insert into post_labels (
    platform, post_id, version, content_hash, relevant, unit_ids, mentions, tone, tone_score, tone_cues,
    offensive, offensive_terms, needs_checking, check_reasons, pack_version, model_version, processed_at
)
select
    platform, post_id, version, content_hash, relevant, unit_ids, mentions, tone, tone_score, tone_cues,
    offensive, offensive_terms, needs_checking, check_reasons, pack_version, model_version, processed_at
from labels_in
