-- Tables and views of the warehouse with their `comment on` text, for the data dictionary.
select
    table_name as name,
    'table' as kind,
    comment
from duckdb_tables()
where database_name = current_database()
union all
select
    view_name as name,
    'view' as kind,
    comment
from duckdb_views()
where database_name = current_database() and not internal
order by kind, name
