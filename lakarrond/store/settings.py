"""Plan-year settings as key/value rows (table ``setting``) ↔ ``solver.problem.Settings``.

Keys: ``summer_weeks`` ("27,28,29,30,31"), ``new_patient_days``, ``min_interval_months``,
``max_interval_months``, ``preparation_days``, ``time_limit_s``, ``avoid_bridge_days``
("1"/"0"), ``seed``. A missing key keeps the solver default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.store.models import Setting
from solver.problem import Settings

INT_KEYS = (
    "new_patient_days",
    "min_interval_months",
    "max_interval_months",
    "preparation_days",
    "seed",
)


def _encode(key: str, value: Any) -> str:
    if key == "summer_weeks":
        return ",".join(str(int(w)) for w in value)
    if key == "avoid_bridge_days":
        return "1" if value else "0"
    return str(value)


def _decode(key: str, text: str) -> Any:
    if key == "summer_weeks":
        return tuple(int(w) for w in text.split(",") if w.strip())
    if key == "avoid_bridge_days":
        return text.strip() in ("1", "true", "True", "ja", "Ja")
    if key == "time_limit_s":
        return float(text)
    if key in INT_KEYS:
        return int(text)
    raise KeyError(key)


def read_settings(
    session: Session, year: int, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """The year's Settings: stored values over the defaults, ``overrides`` over both."""
    values: dict[str, Any] = {}
    rows = session.scalars(select(Setting).where(Setting.year == year))
    for row in rows:
        try:
            values[row.key] = _decode(row.key, row.value)
        except (KeyError, ValueError):
            continue  # an unknown or unreadable key keeps the default
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    return Settings(year=year, **values)


def write_settings(session: Session, year: int, values: Mapping[str, Any]) -> None:
    """Store (insert or update) the given settings of ``year``."""
    existing = {
        row.key: row for row in session.scalars(select(Setting).where(Setting.year == year))
    }
    for key, value in values.items():
        if key == "year":
            continue
        text = _encode(key, value)
        if key in existing:
            existing[key].value = text
        else:
            session.add(Setting(year=year, key=key, value=text))


def settings_dict(settings: Settings) -> dict[str, Any]:
    """Settings as plain JSON values (for the Plan row)."""
    data = dataclasses.asdict(settings)
    data["summer_weeks"] = list(settings.summer_weeks)
    data["blocked_periods"] = [[a.isoformat(), b.isoformat()] for a, b in settings.blocked_periods]
    return data


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """The inverse of :func:`settings_dict` (unknown keys ignored)."""
    from datetime import date

    fields = {f.name for f in dataclasses.fields(Settings)}
    values = {k: v for k, v in data.items() if k in fields}
    if "summer_weeks" in values:
        values["summer_weeks"] = tuple(values["summer_weeks"])
    if "blocked_periods" in values:
        values["blocked_periods"] = tuple(
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in values["blocked_periods"]
        )
    return Settings(**values)
