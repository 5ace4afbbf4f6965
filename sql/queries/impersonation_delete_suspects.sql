-- Rows about to be rewritten by a scan (registered as suspects_in).
delete from impersonation_suspects
where suspect_id in (select suspect_id from suspects_in)
