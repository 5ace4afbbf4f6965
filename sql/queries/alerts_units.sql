-- The unit tree, to know which pages may answer for a unit (its own and its ancestors').
select unit_id, name, parent_id from units
