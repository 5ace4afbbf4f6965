"""The only package that opens the warehouse: connections, migrations, named SQL, loads."""

from postwatch.warehouse.db import connect, read_query, writer
from postwatch.warehouse.sqlfiles import sql

__all__ = ["connect", "read_query", "sql", "writer"]
