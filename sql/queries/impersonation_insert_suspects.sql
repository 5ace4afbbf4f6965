-- The scan's merged rows: new pages, and rescored ones carrying their status and decision forward.
insert into impersonation_suspects by name
select * from suspects_in
