"""Generate docs/data-dictionary.md from the warehouse schema itself, so the analysts' reference
cannot drift from the tables: a scratch warehouse is migrated from sql/, then every table and view
is described from the catalog (types, nullability, ``comment on`` text) and each view's header
comment in sql/views/<name>.sql, whose ``Columns:`` block documents the view's columns.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from postwatch.settings import Settings, get_settings
from postwatch.warehouse.db import read_query
from postwatch.warehouse.migrate import migrate
from postwatch.warehouse.sqlfiles import files, sql

HEADER = """# Data dictionary

Every table and view of the PostWatch warehouse, generated from the schema (`sql/schema/*.sql`,
`sql/views/*.sql`) and its `comment on` statements by `postwatch docs dictionary`. Do not edit by
hand: change the comment in the SQL file and regenerate. Query examples: [sql-examples.md](sql-examples.md).

Times are `TIMESTAMPTZ` in UTC unless the column says local; `local_date` is the day in
Asia/Ho_Chi_Minh. DuckLake has no primary keys or foreign keys; the keys named below are kept by
the loader and checked by the quality suites.
"""

# "--   name, other   description" inside a view's "Columns:" block.
_COLUMN_LINE = re.compile(r"^--\s{2,}([a-z_][a-z0-9_]*(?:,\s*[a-z_][a-z0-9_]*)*)\s{2,}(\S.*)$")
_CONTINUATION = re.compile(r"^--\s{4,}(\S.*)$")


@dataclass
class Column:
    name: str
    data_type: str
    nullable: bool
    comment: str | None


@dataclass
class Relation:
    name: str
    kind: str  # table | view
    comment: str | None
    source: str | None = None
    header: str = ""
    columns: list[Column] = field(default_factory=list)


def view_header(path: Path) -> tuple[str, dict[str, str]]:
    """A view file's leading comment: its prose, and column descriptions from a ``Columns:`` block."""
    prose: list[str] = []
    columns: dict[str, str] = {}
    last: list[str] = []
    in_columns = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        if text.rstrip(":").lower() == "columns" or text.lower().startswith("columns"):
            in_columns = True
            continue
        if not in_columns:
            prose.append(text)
            continue
        if m := _COLUMN_LINE.match(line):
            last = [n.strip() for n in m.group(1).split(",")]
            for n in last:
                columns[n] = m.group(2).strip()
        elif (m := _CONTINUATION.match(line)) and last:
            for n in last:
                columns[n] += " " + m.group(1).strip()
    # Drop a leading "name:" the files repeat before their description.
    text = " ".join(p for p in prose if p).strip()
    text = re.sub(rf"^{re.escape(path.stem)}\s*:\s*", "", text)
    return text[:1].upper() + text[1:], columns


def _table_sources() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in files("schema"):
        for name in re.findall(
            r"create table if not exists\s+([a-z_][a-z0-9_]*)", path.read_text("utf-8"), re.I
        ):
            found.setdefault(name.lower(), f"sql/schema/{path.name}")
    return found


def read_catalog(settings: Settings) -> list[Relation]:
    """Tables and views of a migrated warehouse, with their columns and documentation."""
    _, rels = read_query(sql("docs_relations"), settings=settings)
    _, cols = read_query(sql("docs_columns"), settings=settings)
    table_files = _table_sources()
    views_dir = settings.sql_dir / "views"
    relations: dict[str, Relation] = {}
    view_columns: dict[str, dict[str, str]] = {}
    for name, kind, comment in rels:
        rel = Relation(name, kind, comment)
        if kind == "table":
            rel.source = table_files.get(name)
        elif (path := views_dir / f"{name}.sql").exists():
            rel.source = f"sql/views/{path.name}"
            rel.header, view_columns[name] = view_header(path)
        relations[name] = rel
    for table, column, data_type, nullable, comment in cols:
        if table in relations:
            described = comment or view_columns.get(table, {}).get(column)
            relations[table].columns.append(Column(column, data_type, bool(nullable), described))
    return list(relations.values())


def _cell(text: str | None) -> str:
    return "" if not text else text.replace("|", "\\|").replace("\n", " ")


def render(relations: list[Relation]) -> str:
    out = [HEADER]
    for kind, title in (("table", "Tables"), ("view", "Views")):
        group = [r for r in relations if r.kind == kind]
        out.append(f"## {title}\n")
        out.append(" · ".join(f"[{r.name}](#{r.name})" for r in group) + "\n")
        for rel in group:
            out.append(f"### {rel.name}\n")
            if rel.source:
                out.append(f"{kind.capitalize()}, defined in `{rel.source}`.\n")
            description = rel.header if kind == "view" and rel.header else rel.comment
            if description:
                out.append(description + "\n")
            out.append("| column | type | null | description |\n|---|---|---|---|")
            for c in rel.columns:
                out.append(
                    f"| `{c.name}` | {c.data_type} | {'yes' if c.nullable else 'no'} | {_cell(c.comment)} |"
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def build_dictionary(settings: Settings | None = None) -> str:
    """The dictionary's Markdown, from a scratch warehouse migrated from this checkout's sql/.

    A scratch warehouse (not var/) keeps the output the same on every machine, whatever data or
    half-applied migrations a local warehouse holds.
    """
    base = settings or get_settings()
    with tempfile.TemporaryDirectory(prefix="pw-docs-") as tmp:
        scratch = Settings(home=Path(tmp), sql_dir=base.sql_dir, catalog="sqlite", data_path=None)
        migrate(scratch)
        return render(read_catalog(scratch))
