-- Record an officer's decision on a suspect; the score at that moment is kept for the resurface rule.
update impersonation_suspects
set
    status = $status,
    decided_by = $decided_by,
    decided_at = $decided_at,
    decided_score = score,
    note = coalesce($note, note)
where suspect_id = $suspect_id
