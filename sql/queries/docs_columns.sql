-- Columns of every table and view in order, with type, nullability and `comment on column` text.
select
    table_name,
    column_name,
    data_type,
    is_nullable,
    comment
from duckdb_columns()
where database_name = current_database()
order by table_name, column_index
