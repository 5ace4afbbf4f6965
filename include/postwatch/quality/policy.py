"""Thresholds of the batch-level checks (include/config/quality.yaml) and who is told when a source
breaks (include/config/notify.yaml). Both validated; errors name the file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from postwatch.quality.suites import CheckPolicyView
from postwatch.settings import Settings, get_settings
from postwatch.yamlconf import read_yaml, validate

Severity = Literal["warn", "fail"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BadRowShare(_Strict):
    warn: float = Field(default=0.10, ge=0, le=1, description="share of a source's items quarantined")
    fail: float = Field(default=0.50, ge=0, le=1)
    min_items: int = Field(default=10, ge=1, description="smaller polls are not judged")

    @model_validator(mode="after")
    def _ordered(self) -> BadRowShare:
        if self.fail < self.warn:
            raise ValueError("fail must not be below warn")
        return self


class Silent(_Strict):
    polls: int = Field(default=6, ge=1, description="polls in a row that returned nothing")
    severity: Severity = "warn"


class VolumeBand(_Strict):
    days: int = Field(default=7, ge=1)
    width: float = Field(default=3.0, gt=0, description="band = mean ± width × max(stddev, √mean, 1)")
    min_polls: int = Field(default=6, ge=2, description="history needed before the band is judged")
    severity: Severity = "warn"


class Stale(_Strict):
    intervals: float = Field(default=3, gt=0, description="poll intervals without a successful fetch")
    severity: Severity = "warn"


class Reconciliation(_Strict):
    severity: Severity = "fail"


class Incidents(_Strict):
    repeated_errors: int = Field(default=3, ge=1, description="failed polls in a row that open an incident")


class CheckPolicy(_Strict):
    bad_row_share: BadRowShare = BadRowShare()
    silent: Silent = Silent()
    volume_band: VolumeBand = VolumeBand()
    stale: Stale = Stale()
    reconciliation: Reconciliation = Reconciliation()
    incidents: Incidents = Incidents()

    def view(self) -> CheckPolicyView:
        return CheckPolicyView(
            bad_share_warn=self.bad_row_share.warn,
            bad_share_fail=self.bad_row_share.fail,
            bad_share_min_items=self.bad_row_share.min_items,
            silent_polls=self.silent.polls,
            silent_severity=self.silent.severity,
            volume_severity=self.volume_band.severity,
            stale_intervals=self.stale.intervals,
            stale_severity=self.stale.severity,
            volume_days=self.volume_band.days,
        )


class Person(_Strict):
    name: str | None = None
    email: EmailStr


class NotifyConfig(_Strict):
    """Recipients of source-health mail: the data officer, and anyone in copy."""

    officer: Person
    cc: list[Person] = []
    subject_prefix: str = "[PostWatch]"


def _config_dir(settings: Settings | None) -> Path:
    return Path((settings or get_settings()).config_dir)


def load_policy(settings: Settings | None = None) -> CheckPolicy:
    """quality.yaml when present, defaults otherwise."""
    path = _config_dir(settings) / "quality.yaml"
    if not path.exists():
        return CheckPolicy()
    data, tree = read_yaml(path)
    return validate(CheckPolicy, path, data or {}, tree)


def load_notify(settings: Settings | None = None) -> NotifyConfig | None:
    """notify.yaml; None when absent (health mail then goes nowhere, and says so in the log)."""
    path = _config_dir(settings) / "notify.yaml"
    if not path.exists():
        return None
    data, tree = read_yaml(path)
    return validate(NotifyConfig, path, data or {}, tree)
