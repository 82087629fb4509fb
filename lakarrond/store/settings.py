"""Plan-year settings as key/value rows (table ``setting``) ↔ ``solver.problem.Settings``.

Keys of ``Settings`` (a missing key keeps the solver default):

- ``summer_weeks`` — ISO weeks, ``"27,28,29,30,31"``;
- ``blocked_periods`` — inclusive date ranges, ``"2027-02-15/2027-02-19,2027-04-01/2027-04-02"``;
- ``avoid_bridge_days`` — ``"1"``/``"0"``;
- ``new_patient_days``, ``min_interval_months``, ``max_interval_months``,
  ``preparation_days``, ``freeze_days``, ``seed`` — whole numbers; ``time_limit_s`` — seconds;
- ``doctor_hours_per_10`` — the agreement's floor of doctor time, hours per week per 10
  patients (``"1.0"``; solver.doctor_time).

Keys the application keeps beside them (not ``Settings`` fields; read with
:func:`read_values`): ``default_reviews_per_day`` (ÅMV per dag for a new doctor),
``review_day_start`` (``"13:00"``, the first ÅMV time on a doctor's separate ÅMV days) and
``preparation_steps`` (JSON ``[["Provtagning", 7, "Sjuksköterska", false], …]``: name, days
before, role, invites relatives; a list stored before revision 0011 has ``[name, days]``
entries and reads as it was, see :func:`lakarrond.steps.from_stored`).

:func:`read_settings` passes only the keys that ``Settings`` has as fields, so a key stored
for a newer solver (``freeze_days`` before the solver knows it) is kept but not passed on.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date, time
from typing import Any  # Any: JSON edge: setting values of several types

from sqlalchemy import select
from sqlalchemy.orm import Session

from lakarrond.store.models import Setting
from solver.problem import Settings

INT_KEYS = (
    "new_patient_days",
    "min_interval_months",
    "max_interval_months",
    "preparation_days",
    "freeze_days",
    "seed",
    "default_reviews_per_day",
    "move_in_days",
)
FLOAT_KEYS = ("time_limit_s", "doctor_hours_per_10")
# Keys stored for the application, not fields of solver.problem.Settings
DEFAULT_FREEZE_DAYS = 14
DEFAULT_REVIEWS_PER_DAY = 2


def settings_fields() -> frozenset[str]:
    """The field names of ``solver.problem.Settings`` (as this solver version has them)."""
    return frozenset(f.name for f in dataclasses.fields(Settings))


def _encode_periods(periods: Any) -> str:
    return ",".join(f"{start.isoformat()}/{end.isoformat()}" for start, end in periods)


def _decode_periods(text: str) -> tuple[tuple[date, date], ...]:
    out = []
    for part in text.split(","):
        if not part.strip():
            continue
        start, end = part.strip().split("/")
        out.append((date.fromisoformat(start), date.fromisoformat(end)))
    return tuple(out)


def _encode(key: str, value: Any) -> str:
    if key == "summer_weeks":
        return ",".join(str(int(w)) for w in value)
    if key == "blocked_periods":
        return _encode_periods(value)
    if key == "avoid_bridge_days":
        return "1" if value else "0"
    if key == "review_day_start":
        return f"{value.hour:02d}:{value.minute:02d}" if isinstance(value, time) else str(value)
    if key == "preparation_steps":
        return json.dumps([[str(e[0]), int(e[1]), *e[2:]] for e in value], ensure_ascii=False)
    return str(value)


def _decode(key: str, text: str) -> Any:
    if key == "summer_weeks":
        return tuple(int(w) for w in text.split(",") if w.strip())
    if key == "blocked_periods":
        return _decode_periods(text)
    if key == "avoid_bridge_days":
        return text.strip() in ("1", "true", "True", "ja", "Ja")
    if key == "review_day_start":
        return time.fromisoformat(text.strip())
    if key == "preparation_steps":
        return tuple((str(e[0]), int(e[1]), *e[2:]) for e in json.loads(text))
    if key in FLOAT_KEYS:
        return float(text)
    if key in INT_KEYS:
        return int(text)
    raise KeyError(key)


def read_values(session: Session, year: int) -> dict[str, Any]:
    """Every readable stored setting of ``year``, decoded (Settings fields and the
    application's keys alike); unknown or unreadable keys are left out."""
    values: dict[str, Any] = {}
    for row in session.scalars(select(Setting).where(Setting.year == year)):
        try:
            values[row.key] = _decode(row.key, row.value)
        except (KeyError, ValueError, TypeError):
            continue  # an unknown or unreadable key keeps the default
    return values


def read_settings(
    session: Session, year: int, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """The year's Settings: stored values over the defaults, ``overrides`` over both. Keys
    that are not fields of ``Settings`` are ignored (stored or overridden)."""
    fields = settings_fields()
    values = {k: v for k, v in read_values(session, year).items() if k in fields}
    for key, value in (overrides or {}).items():
        if value is not None and key in fields:
            values[key] = value
    values.pop("year", None)
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
    if isinstance(data.get("plan_from"), date):
        data["plan_from"] = data["plan_from"].isoformat()
    return data


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """The inverse of :func:`settings_dict` (unknown keys ignored)."""
    fields = settings_fields()
    values = {k: v for k, v in data.items() if k in fields}
    if "summer_weeks" in values:
        values["summer_weeks"] = tuple(values["summer_weeks"])
    if "blocked_periods" in values:
        values["blocked_periods"] = tuple(
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in values["blocked_periods"]
        )
    if isinstance(values.get("plan_from"), str):
        values["plan_from"] = date.fromisoformat(values["plan_from"])
    return Settings(**values)
