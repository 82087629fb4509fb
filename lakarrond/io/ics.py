"""Write the plan's doctor times as an iCalendar file (RFC 5545) for Outlook and others.

One event per round date (not cancelled) that has ÅMV, and one event per doctor and day for
ÅMV on separate times (phone-round and LSS units, rule R6). Times are written in UTC. UIDs
are stable (uuid5 of year, doctor, unit and date), so importing a new version of the file
updates the events instead of duplicating them. No patient data unless asked for.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from lakarrond.document import AnnualReview, PlanDocument
from lakarrond.io.files import atomic_write

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")
UID_NAMESPACE = uuid.UUID("6f1c3c52-3b8e-4d5c-9a53-6c1f2d0e7a41")
UID_DOMAIN = "lakarrond"
PRODID = "-//Läkarrond//ÅMV-planering//SV"
SEPARATE_START = time(13, 0)
SEPARATE_MINUTES_PER_REVIEW = 30
DEFAULT_ROUND_MINUTES = 120


def event_uid(year: object, doctor: str, unit: str, day: str) -> str:
    """The stable UID of the event of ``doctor`` at ``unit`` on ``day``."""
    name = f"{year}|{doctor}|{unit}|{day}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@{UID_DOMAIN}"


def _utc(day: date, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=LOCAL_ZONE).astimezone(UTC)


def _parse_start(value: str) -> time:
    if value:
        hour, _, minute = value.partition(":")
        return time(int(hour), int(minute or 0))
    return time(9, 0)


def _count_text(count: int) -> str:
    return f"{count} ÅMV"


def _description(items: list[AnnualReview], doctor: str, include_names: bool,
                 extra: str) -> str:
    lines = [f"{_count_text(len(items))}. Läkare: {doctor}."]
    if extra:
        lines.append(extra)
    if include_names:
        for item in sorted(items, key=lambda a: a.patient):
            room = f" (rum {item.room})" if item.room else ""
            lines.append(f"- {item.patient}{room}")
    return "\n".join(lines)


def _event(uid: str, summary: str, start: datetime, minutes: int, location: str,
           description: str, stamp: datetime, sequence: int) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=minutes))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("sequence", sequence)
    event.add("transp", "OPAQUE")
    return event


def build_calendar(doc: PlanDocument, doctor: str | None = None, include_names: bool = False,
                   stamp: datetime | None = None) -> Calendar:
    """The plan as an :class:`icalendar.Calendar` (see :func:`write_plan_ics`)."""
    year = doc.year
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    sequence = max(doc.version, 0)

    by_round: dict[tuple[str, str], list[AnnualReview]] = defaultdict(list)
    for item in doc.reviews:
        by_round[(item.date.isoformat(), item.unit)].append(item)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    title = f"Läkarrond ÅMV {year}" + (f" – {doctor}" if doctor else "")
    calendar.add("x-wr-calname", title)

    events: list[tuple[datetime, str, Event]] = []
    covered: set[tuple[str, str]] = set()
    for rnd in doc.rounds:
        key = (rnd.date.isoformat(), rnd.unit)
        if rnd.cancelled:
            continue
        covered.add(key)
        reviews = by_round.get(key, [])
        round_doctor = rnd.doctor
        if not reviews or (doctor is not None and round_doctor != doctor):
            continue
        start = _utc(rnd.date, _parse_start(rnd.start))
        minutes = int(rnd.length_min or DEFAULT_ROUND_MINUTES)
        form = rnd.form
        extra = f"Rondform: {form}." if form else ""
        uid = event_uid(year, round_doctor, key[1], key[0])
        events.append((start, uid, _event(
            uid, f"{key[1]} – {_count_text(len(reviews))}", start, minutes, key[1],
            _description(reviews, round_doctor, include_names, extra), stamp, sequence,
        )))

    separate: dict[tuple[str, str], list[AnnualReview]] = defaultdict(list)
    for key, items in by_round.items():
        if key in covered:
            continue
        for item in items:
            separate[(item.doctor, key[0])].append(item)
    for (item_doctor, day_text), items in separate.items():
        if doctor is not None and item_doctor != doctor:
            continue
        units = sorted({item.unit for item in items})
        start = _utc(date.fromisoformat(day_text), SEPARATE_START)
        minutes = SEPARATE_MINUTES_PER_REVIEW * len(items)
        uid = event_uid(year, item_doctor, "ÅMV-tid", day_text)
        events.append((start, uid, _event(
            uid, f"{', '.join(units)} – {_count_text(len(items))}", start, minutes,
            ", ".join(units), _description(items, item_doctor, include_names, "Separat ÅMV-tid."),
            stamp, sequence,
        )))

    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        calendar.add_component(event)
    return calendar


def write_plan_ics(doc: PlanDocument, path: Path, doctor: str | None = None,
                   include_names: bool = False) -> int:
    """Write the calendar file; return the number of events written."""
    calendar = build_calendar(doc, doctor=doctor, include_names=include_names)
    data = calendar.to_ical()
    atomic_write(Path(path), lambda tmp: tmp.write_bytes(data))
    return len(calendar.walk("VEVENT"))


__all__ = ["build_calendar", "event_uid", "write_plan_ics"]
