"""include/config/digest.yaml: who reads the digest and the alerts, and the alert thresholds.

Validated like every config file: an error names the file, line and field."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from postwatch.report.mail import address
from postwatch.settings import Settings, get_settings
from postwatch.yamlconf import read_yaml, validate


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    name: str | None = None
    email: EmailStr

    def header(self) -> str:
        return address(self.name, str(self.email))


class DigestSection(_Strict):
    recipients: list[Person] = Field(min_length=1)
    cc: list[Person] = []
    subject_prefix: str = "[PostWatch]"
    negative_items: int = Field(default=10, ge=1, le=100)
    positive_items: int = Field(default=5, ge=1, le=100)
    impersonation_items: int = Field(default=5, ge=1, le=100)
    comment_items: int = Field(default=10, ge=1, le=100)


class Velocity(_Strict):
    engagement_per_hour: float = Field(default=100, gt=0)
    min_engagement: int = Field(default=200, ge=0)
    lookback_hours: int = Field(default=24, ge=1)


class Spike(_Strict):
    ratio: float = Field(default=3.0, gt=1)
    min_count: int = Field(default=5, ge=1)
    press_ratio: float = Field(default=2.0, gt=1)
    press_min_count: int = Field(default=4, ge=1)


class Grouping(_Strict):
    title_similarity: float = Field(default=88, ge=50, le=100)
    window_hours: int = Field(default=72, ge=1)


class AnswerMatch(_Strict):
    similarity: float = Field(default=70, ge=30, le=100)
    window_hours: int = Field(default=72, ge=1)


class AlertSection(_Strict):
    recipients: list[Person] = Field(min_length=1)
    subject_prefix: str = "[PostWatch] CẢNH BÁO"
    answer_hours: float = Field(default=2, gt=0)
    velocity: Velocity = Velocity()
    spike: Spike = Spike()
    grouping: Grouping = Grouping()
    answer_match: AnswerMatch = AnswerMatch()


class MailConfig(_Strict):
    digest: DigestSection
    alerts: AlertSection


def load_config(settings: Settings | None = None) -> MailConfig:
    """digest.yaml from the config directory; a missing file is an error (nobody to mail)."""
    path = Path((settings or get_settings()).config_dir) / "digest.yaml"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no digest configuration (recipients of the digest and alerts)")
    data, tree = read_yaml(path)
    return validate(MailConfig, path, data or {}, tree)
