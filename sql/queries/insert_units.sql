insert into units select unit_id, name, level, parent_id, aliases, $now as loaded_at from units_in
