"""YAML loading that remembers where every value came from, so errors can name file and line."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigError(ValueError):
    """A configuration problem, worded for the data officer: file, line, field, what is wrong."""

    def __init__(self, path: Path | str, line: int | None, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


def _lines(node: yaml.Node) -> Any:
    """Mirror the YAML tree, keeping the 1-based line of each mapping value and sequence item."""
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {"__line__": node.start_mark.line + 1}
        for key, value in node.value:
            out[key.value] = (key.start_mark.line + 1, _lines(value))
        return out
    if isinstance(node, yaml.SequenceNode):
        return {"__line__": node.start_mark.line + 1, "__items__": [_lines(v) for v in node.value]}
    return {"__line__": node.start_mark.line + 1}


def _line_for(tree: Any, loc: tuple[Any, ...]) -> int | None:
    line = tree.get("__line__") if isinstance(tree, dict) else None
    for part in loc:
        if not isinstance(tree, dict):
            break
        if isinstance(part, int) and "__items__" in tree:
            items = tree["__items__"]
            if part >= len(items):
                break
            tree = items[part]
            line = tree.get("__line__", line)
        elif part in tree:
            line, tree = tree[part]
        else:
            break
    return line


_VAR = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}")


def interpolate(text: str, path: Path) -> str:
    """Expand ``${VAR}`` and ``${VAR:-default}`` so URLs and ids can differ per deployment."""

    def sub(m: re.Match[str]) -> str:
        value = os.environ.get(m.group(1))
        if value:
            return value
        if m.group(2) is not None:
            return m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        raise ConfigError(path, line, "", f"environment variable {m.group(1)} is not set and has no default")

    return _VAR.sub(sub, text)


def read_yaml(path: Path) -> tuple[Any, Any]:
    """Parse a YAML file into (data, line tree); syntax errors become ConfigError with the line."""
    try:
        text = interpolate(path.read_text(encoding="utf-8"), path)
    except FileNotFoundError as exc:
        raise ConfigError(path, None, "", "file not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(path, None, "", f"not valid UTF-8 ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(path, mark.line + 1 if mark else None, "", f"YAML syntax: {exc.problem}") from exc
    return data, (_lines(node) if node is not None else {})


def validate(model: type[M], path: Path, data: Any, tree: Any, prefix: tuple[Any, ...] = ()) -> M:
    """Validate ``data`` as ``model``; the first error names file, line and dotted field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = prefix + tuple(err["loc"])
        field = ".".join(str(p) for p in loc)
        raise ConfigError(path, _line_for(tree, loc), field, err["msg"]) from exc
