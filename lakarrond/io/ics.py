"""Write the plan's doctor times as an iCalendar file (RFC 5545) for Outlook and others.

One event per held physical round date that has ÅMV (from the round's start, as long as the
round), and one event per doctor and day for ÅMV on separate times (phone-round and LSS
units, rule R6: from the setting ``review_day_start``, n × the units' minutes per ÅMV). With
names, the description lists each patient with the ÅMV's clock time
(:func:`lakarrond.timetable.timetable`: the same times as on the round schedule and in
Veckan); an ÅMV without a clock time (no held round that day) is in no event. Times are
written in UTC. UIDs are stable (uuid5 of year, doctor, unit and date), so importing a new
version of the file updates the events instead of duplicating them. No patient data unless
asked for; never a personnummer.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from lakarrond.document import PlanDocument
from lakarrond.io.files import atomic_write
from lakarrond.timetable import TimedReview, parse_clock, timetable

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


def _description(doc: PlanDocument, items: list[TimedReview], doctor: str,
                 include_names: bool, extra: str, with_unit: bool = False) -> str:
    lines = [f"{_count_text(len(items))}. Läkare: {doctor}."]
    if extra:
        lines.append(extra)
    if include_names:
        for item in items:
            a = item.review
            where = [x for x in (a.unit if with_unit else "", a.room and f"rum {a.room}",
                                 doc.named_contacts(a)) if x]  # the patient's own nurse
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

    tt = timetable(doc)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    title = f"Läkarrond ÅMV {year}" + (f" – {doctor}" if doctor else "")
    calendar.add("x-wr-calname", title)

    events: list[tuple[datetime, str, Event]] = []
    for sitting in tt.sittings:
        rnd = sitting.round
        if rnd is None or (doctor is not None and rnd.doctor != doctor):
            continue
        unit, reviews = rnd.unit, list(sitting.reviews)
        start = _utc(rnd.date, parse_clock(rnd.start))
        minutes = int(rnd.length_min or DEFAULT_ROUND_MINUTES)
        extra = f"Rondform: {rnd.form}." if rnd.form else ""
        uid = event_uid(year, rnd.doctor, unit, rnd.date.isoformat())
        events.append((start, uid, _event(
            uid, f"{unit} – {_count_text(len(reviews))}", start, minutes, unit,
            _description(doc, reviews, rnd.doctor, include_names, extra),
            stamp, sequence,
        )))

    for sitting in tt.sittings:
        if sitting.round is not None or (doctor is not None and sitting.doctor != doctor):
            continue
        timed = list(sitting.reviews)
        units = sorted({t.review.unit for t in timed})
        start = _utc(sitting.day, sitting.start or doc.review_day_start)  # its first ÅMV
        uid = event_uid(year, sitting.doctor, "ÅMV-tid", sitting.day.isoformat())
        events.append((start, uid, _event(
            uid, f"{', '.join(units)} – {_count_text(len(timed))}", start, sitting.minutes,
            ", ".join(units),
            _description(doc, timed, sitting.doctor, include_names, "Separat ÅMV-tid.", True),
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
