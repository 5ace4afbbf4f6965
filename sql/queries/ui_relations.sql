-- Tables and views of the warehouse, so the UI page can say "not available yet" for a view
-- another part of the pipeline has not created, instead of failing.
select table_name as name
from duckdb_tables()
where database_name = current_database()
union all
select view_name as name
from duckdb_views()
where database_name = current_database() and not internal
