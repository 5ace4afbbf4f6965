-- The unit answered the story (an official post found by PostWatch, or the officer's word).
update alerts
set status = 'answered', answered_at = $at, answered_by = $by, answer_url = $url, note = coalesce($note, note),
    updated_at = $now
where alert_id = $alert_id
