"""The scan's tunables (include/config/impersonation.yaml), validated so a typo names its line."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from postwatch.settings import PROJECT_ROOT, Settings, get_settings
from postwatch.yamlconf import read_yaml, validate

FILE_NAME = "impersonation.yaml"
SHIPPED = PROJECT_ROOT / "include" / "config" / FILE_NAME


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(Strict):
    """Weight of each signal in the score; each signal's value is in [0, 1]."""

    name: float = Field(default=0.4, ge=0, le=1)
    authority: float = Field(default=0.25, ge=0, le=1)
    handle: float = Field(default=0.1, ge=0, le=1)
    unverified: float = Field(default=0.05, ge=0, le=1)
    copies: float = Field(default=0.1, ge=0, le=1)
    scam: float = Field(default=0.1, ge=0, le=1)
    cue_rules: float = Field(default=0.05, ge=0, le=1)


class ImpersonationConfig(Strict):
    threshold: float = Field(default=0.6, gt=0, le=1)
    record_floor: float = Field(default=0.4, ge=0, le=1)
    resurface_margin: float = Field(default=0.15, ge=0, le=1)
    lookback_days: int = Field(default=30, ge=1, le=3660)
    copy_slack_days: int = Field(default=7, ge=0, le=365)
    weights: Weights = Weights()
    generic: tuple[str, ...] = ()
    authority: tuple[str, ...] = ()
    scam_cues: tuple[str, ...] = ()
    warning_words: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _floor_below_threshold(self) -> ImpersonationConfig:
        if self.record_floor > self.threshold:
            raise ValueError(
                f"record_floor ({self.record_floor}) must not exceed threshold ({self.threshold})"
            )
        return self


def load_config(config_dir: Path | None = None, settings: Settings | None = None) -> ImpersonationConfig:
    """Read impersonation.yaml from the config folder; raise ConfigError naming file, line and field.

    A config folder without the file (a deployment that only keeps its registry) gets the shipped
    one: its generic-word and cue lists are what make names comparable, so there are no empty defaults.
    """
    cdir = Path(config_dir or (settings or get_settings()).config_dir)
    path = cdir / FILE_NAME
    if not path.exists():
        path = SHIPPED
    data, tree = read_yaml(path)
    return validate(ImpersonationConfig, path, data or {}, tree)
