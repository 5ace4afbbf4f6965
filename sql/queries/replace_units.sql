delete from units
