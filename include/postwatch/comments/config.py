"""The comments run's tunables, validated so a typo names its file and line."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from postwatch.settings import Settings, get_settings
from postwatch.yamlconf import read_yaml, validate

FILE_NAME = "comments.yaml"
# Shipped beside this module; a comments.yaml in the config folder replaces it.
SHIPPED = Path(__file__).with_name(FILE_NAME)


class CommentKind(StrEnum):
    question = "question"
    complaint = "complaint"
    other = "other"


class CommentsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lookback_days: int = Field(default=7, ge=1, le=90)
    answer_within_hours: float = Field(default=24, gt=0, le=24 * 90)
    report_kinds: tuple[CommentKind, ...] = (CommentKind.question, CommentKind.complaint)
    max_pages_per_post: int = Field(default=20, ge=1, le=500)
    question_cues: tuple[str, ...] = ()
    complaint_cues: tuple[str, ...] = ()


def load_config(config_dir: Path | None = None, settings: Settings | None = None) -> CommentsConfig:
    """comments.yaml from the config folder, else the shipped one; ConfigError names file, line, field."""
    cdir = Path(config_dir or (settings or get_settings()).config_dir)
    path = cdir / FILE_NAME
    if not path.exists():
        path = SHIPPED
    data, tree = read_yaml(path)
    return validate(CommentsConfig, path, data or {}, tree)
