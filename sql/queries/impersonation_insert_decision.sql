-- One entry of the decisions audit trail.
insert into impersonation_decisions (suspect_id, decision, previous, decided_by, decided_at, score, note)
values ($suspect_id, $decision, $previous, $decided_by, $decided_at, $score, $note)
