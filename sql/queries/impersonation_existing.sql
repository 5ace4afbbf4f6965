-- Every recorded suspect, read inside the scan's write transaction so decisions are never overwritten.
select * from impersonation_suspects
