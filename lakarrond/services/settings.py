"""The settings of a plan year (the Settings dialog): read, validate, save (audited).

:class:`SettingsData` holds what the user may set: the solver's settings (summer weeks,
blocked periods, bridge days, the R7/R8 windows, preparation and freeze days) and two
application values, ÅMV per dag for a new doctor and the first ÅMV time on a doctor's
separate ÅMV days (R6), and the floor of doctor time (hours per week per 10 patients). The
step list of the preparation checklist has its own use case
(:mod:`lakarrond.services.preparation`).

A year without stored values shows the defaults; saving stores only what differs from the
values in force, so an untouched default follows the program's default.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, time
from typing import Any  # Any: JSON edge: setting values of several types

from sqlalchemy.orm import Session

from lakarrond.document import DEFAULT_REVIEW_DAY_START
from lakarrond.errors import BadInput
from lakarrond.formatting import decimal
from lakarrond.io.schema import DOCTOR_HOURS_SETTING, SETTING_SPECS
from lakarrond.services.common import jsonable, read_scope
from lakarrond.store import Database, audit
from lakarrond.store.settings import (
    DEFAULT_FREEZE_DAYS,
    DEFAULT_REVIEWS_PER_DAY,
    read_settings,
    read_values,
    write_settings,
)

FIELD_LABELS: dict[str, str] = {
    "summer_weeks": "Semesterveckor",
    "blocked_periods": "Spärrade perioder",
    "avoid_bridge_days": "Undvik klämdagar",
    "new_patient_days": "Dagar till ÅMV för ny patient",
    "min_interval_months": "Minsta intervall (månader)",
    "max_interval_months": "Längsta intervall (månader)",
    "preparation_days": "Förberedelse (dagar före ÅMV)",
    "freeze_days": "Frysta dagar",
    "default_reviews_per_day": "ÅMV per dag",
    "review_day_start": "Första ÅMV-tid på ÅMV-dagar",
    "move_in_days": "Inflyttning inom (dagar)",
    "doctor_hours_per_10": DOCTOR_HOURS_SETTING,
}
# (lowest, highest) allowed whole numbers; the settings the template also has take the
# template's range (one rule for the dialog and the import)
_SPEC = {spec.name: (spec.minimum, spec.maximum) for spec in SETTING_SPECS}
RANGES: dict[str, tuple[int, int]] = {
    "new_patient_days": _SPEC["Nya patienter inom (dagar)"],
    "min_interval_months": _SPEC["Min intervall (månader)"],
    "max_interval_months": _SPEC["Max intervall (månader)"],
    "preparation_days": _SPEC["Förberedelse (dagar)"],
    "freeze_days": (0, 90),
    "default_reviews_per_day": (0, 20),
    "move_in_days": (1, 90),  # services.raised: the move-in assessment's period
}
# the floor of doctor time (hours per week per 10 patients): the template's range
DOCTOR_HOURS_RANGE = (float(_SPEC[DOCTOR_HOURS_SETTING][0]), float(_SPEC[DOCTOR_HOURS_SETTING][1]))
EARLIEST_REVIEW_START = time(6, 0)
LATEST_REVIEW_START = time(20, 0)


@dataclass(frozen=True)
class SettingsData:
    """The values of the Settings dialog for one plan year."""

    summer_weeks: tuple[int, ...] = (27, 28, 29, 30, 31)
    blocked_periods: tuple[tuple[date, date], ...] = ()
    avoid_bridge_days: bool = False
    new_patient_days: int = 28
    min_interval_months: int = 6
    max_interval_months: int = 12
    preparation_days: int = 14
    freeze_days: int = DEFAULT_FREEZE_DAYS
    default_reviews_per_day: int = DEFAULT_REVIEWS_PER_DAY
    review_day_start: time = DEFAULT_REVIEW_DAY_START
    move_in_days: int = 14  # "Inflyttning inom (dagar)" (services.raised)
    # the agreement's floor of doctor time (Västerbotten §11.2; solver.doctor_time)
    doctor_hours_per_10: float = 1.0

    def values(self) -> dict[str, Any]:
        """Field name → value."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def weeks_in_iso_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December."""
    return date(year, 12, 28).isocalendar().week


def get_settings(source: Database | Session, year: int) -> SettingsData:
    """The settings in force for ``year``: stored values over the defaults."""
    with read_scope(source) as s:
        settings = read_settings(s, year)
        stored = read_values(s, year)
    values: dict[str, Any] = {}
    for f in fields(SettingsData):
        if f.name in stored:
            values[f.name] = stored[f.name]
        elif hasattr(settings, f.name):
            values[f.name] = getattr(settings, f.name)
    return SettingsData(**values)


def _range_error(name: str, value: int) -> str | None:
    low, high = RANGES[name]
    if low <= value <= high:
        return None
    return f"{FIELD_LABELS[name]} måste vara {low}–{high} (nu {value})."


def validate(data: SettingsData, year: int | None = None) -> list[str]:
    """Swedish messages, each naming its field; empty when the data is fine. With ``year``
    the summer weeks are checked against that ISO year and every blocked period must touch
    the plan year."""
    errors: list[str] = []
    label = FIELD_LABELS["summer_weeks"]
    last_week = weeks_in_iso_year(year) if year is not None else 53
    bad = sorted({w for w in data.summer_weeks if not 1 <= w <= last_week})
    if bad:
        errors.append(f"{label}: vecka {', '.join(map(str, bad))} finns inte "
                      f"(veckorna är 1–{last_week}).")
    label = FIELD_LABELS["blocked_periods"]
    for start, end in data.blocked_periods:
        text = f"{start.isoformat()}–{end.isoformat()}"
        if end < start:
            errors.append(f"{label}: {text} slutar före den börjar.")
        elif (end - start).days > 366:
            errors.append(f"{label}: {text} är längre än ett år.")
        elif year is not None and (end < date(year, 1, 1) or start > date(year, 12, 31)):
            errors.append(f"{label}: {text} ligger utanför planåret {year}.")
    for name in RANGES:
        error = _range_error(name, getattr(data, name))
        if error:
            errors.append(error)
    if data.min_interval_months >= data.max_interval_months:
        errors.append(f"{FIELD_LABELS['min_interval_months']} ({data.min_interval_months}) "
                      f"måste vara mindre än {FIELD_LABELS['max_interval_months'].lower()} "
                      f"({data.max_interval_months}).")
    low, high = DOCTOR_HOURS_RANGE
    if not low <= data.doctor_hours_per_10 <= high:
        errors.append(f"{FIELD_LABELS['doctor_hours_per_10']} måste vara "
                      f"{decimal(low)}–{decimal(high)} (nu {decimal(data.doctor_hours_per_10)}).")
    if not EARLIEST_REVIEW_START <= data.review_day_start <= LATEST_REVIEW_START:
        errors.append(f"{FIELD_LABELS['review_day_start']} måste ligga mellan "
                      f"{EARLIEST_REVIEW_START:%H:%M} och {LATEST_REVIEW_START:%H:%M}.")
    return errors


def normalised(data: SettingsData) -> SettingsData:
    """Summer weeks sorted without repeats, blocked periods sorted."""
    return replace(data, summer_weeks=tuple(sorted(set(data.summer_weeks))),
                   blocked_periods=tuple(sorted(set(data.blocked_periods))))


def save_settings(db: Database, year: int, data: SettingsData) -> SettingsData:
    """Validate and store the settings of ``year`` in one audited transaction; returns the
    settings that were in force before (for undo). Raises BadInput naming every bad field."""
    errors = validate(data, year)
    if errors:
        raise BadInput("\n".join(errors))
    data = normalised(data)
    with db.begin() as s:
        before = get_settings(s, year)
        old, new = before.values(), data.values()
        changed = {k: v for k, v in new.items() if v != old[k]}
        if changed:
            write_settings(s, year, changed)
            audit(s, "update", "setting", year,
                  before=jsonable({k: old[k] for k in changed}), after=jsonable(changed))
        return before


def default_reviews_per_day(source: Database | Session, year: int) -> int:
    """ÅMV per dag for a new doctor (the Settings dialog's value of ``year``)."""
    return get_settings(source, year).default_reviews_per_day


def review_day_start(source: Database | Session, year: int) -> time:
    """The first ÅMV time on a doctor's separate ÅMV days (R6) in ``year``."""
    return get_settings(source, year).review_day_start
