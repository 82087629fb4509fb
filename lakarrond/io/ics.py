"""Write the plan's doctor times as an iCalendar file (RFC 5545) for Outlook and others.

One event per held physical round date that has ÅMV (from the round's start, as long as the
round), and one event per doctor and day for ÅMV on separate times (phone-round and LSS
units, rule R6: from the setting ``review_day_start``, n × the units' minutes per ÅMV). With
names, the description lists each patient with the ÅMV's clock time
(:func:`lakarrond.printouts.round_times`, :func:`~lakarrond.printouts.separate_times`, the
same times as on the round schedule). Times are written in UTC. UIDs are stable (uuid5 of
year, doctor, unit and date), so importing a new version of the file updates the events
instead of duplicating them. No patient data unless asked for; never a personnummer.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from lakarrond.document import AnnualReview, PlanDocument, RoundEntry
from lakarrond.io.files import atomic_write
from lakarrond.printouts import (
    TimedReview,
    held_round,
    minutes_per_review,
    parse_clock,
    round_times,
    separate_times,
)

LOCAL_ZONE = ZoneInfo("Europe/Stockholm")
UID_NAMESPACE = uuid.UUID("6f1c3c52-3b8e-4d5c-9a53-6c1f2d0e7a41")
UID_DOMAIN = "lakarrond"
PRODID = "-//Läkarrond//ÅMV-planering//SV"
DEFAULT_ROUND_MINUTES = 120


def event_uid(year: object, doctor: str, unit: str, day: str) -> str:
    """The stable UID of the event of ``doctor`` at ``unit`` on ``day``."""
    name = f"{year}|{doctor}|{unit}|{day}"
    return f"{uuid.uuid5(UID_NAMESPACE, name)}@{UID_DOMAIN}"


def _utc(day: date, start: time) -> datetime:
    return datetime.combine(day, start, tzinfo=LOCAL_ZONE).astimezone(UTC)


def _count_text(count: int) -> str:
    return f"{count} ÅMV"


def _description(items: list[TimedReview], doctor: str, include_names: bool,
                 extra: str, with_unit: bool = False) -> str:
    lines = [f"{_count_text(len(items))}. Läkare: {doctor}."]
    if extra:
        lines.append(extra)
    if include_names:
        for item in items:
            a = item.review
            where = [x for x in (a.unit if with_unit else "", a.room and f"rum {a.room}") if x]
            details = f" ({', '.join(where)})" if where else ""
            lines.append(f"- {item.text} {a.patient}{details}")
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

    held: dict[tuple[str, date], RoundEntry] = {
        (r.unit, r.date): r for r in doc.rounds if not r.cancelled}
    in_round: dict[tuple[str, date], list[AnnualReview]] = defaultdict(list)
    separate: dict[tuple[str, date], list[AnnualReview]] = defaultdict(list)
    for item in doc.reviews:
        rnd = held_round(doc, item, held)
        if rnd is None:
            separate[(item.doctor, item.date)].append(item)
        else:
            in_round[(rnd.unit, rnd.date)].append(item)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    title = f"Läkarrond ÅMV {year}" + (f" – {doctor}" if doctor else "")
    calendar.add("x-wr-calname", title)

    events: list[tuple[datetime, str, Event]] = []
    for rnd in doc.rounds:
        reviews = in_round.get((rnd.unit, rnd.date), [])
        if rnd.cancelled or not reviews or (doctor is not None and rnd.doctor != doctor):
            continue
        unit = rnd.unit
        start = _utc(rnd.date, parse_clock(rnd.start))
        minutes = int(rnd.length_min or DEFAULT_ROUND_MINUTES)
        extra = f"Rondform: {rnd.form}." if rnd.form else ""
        uid = event_uid(year, rnd.doctor, unit, rnd.date.isoformat())
        events.append((start, uid, _event(
            uid, f"{unit} – {_count_text(len(reviews))}", start, minutes, unit,
            _description(round_times(doc, rnd, reviews), rnd.doctor, include_names, extra),
            stamp, sequence,
        )))

    for (item_doctor, review_day), items in separate.items():
        if doctor is not None and item_doctor != doctor:
            continue
        timed = separate_times(doc, items)
        units = sorted({item.unit for item in items})
        start = _utc(review_day, doc.review_day_start)
        minutes = sum(minutes_per_review(doc, item.unit) for item in items)
        uid = event_uid(year, item_doctor, "ÅMV-tid", review_day.isoformat())
        events.append((start, uid, _event(
            uid, f"{', '.join(units)} – {_count_text(len(items))}", start, minutes,
            ", ".join(units),
            _description(timed, item_doctor, include_names, "Separat ÅMV-tid.", True),
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
