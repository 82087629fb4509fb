"""One source per fact (issue 22 point 2): every ÅMV has one clock time, computed once
(``lakarrond.timetable``), and Veckan, the round schedule, the calendar file and the Excel
export give the same one; a day's clock times never pass midnight; "held in the round" has
one definition."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from icalendar import Calendar
from io_fixtures import as_document

from lakarrond.document import PlanDocument, UnitInfo
from lakarrond.io.excel_export import _write_rounds
from lakarrond.io.ics import build_calendar
from lakarrond.printouts import clock_slots, round_schedule
from lakarrond.services.week import build_week

TODAY = date(2027, 1, 4)


@pytest.fixture
def doc(plan_data: dict) -> PlanDocument:
    """Bäckliden 20 minutes per ÅMV (a round on 2 February with two ÅMV, a cancelled round
    on 25 June with one), Lugnet's 13:30 round, two LSS units on separate times from 14:00
    (45 and 30 minutes)."""
    plan_data["appointments"].append(dict(plan_data["appointments"][0], date="2027-06-25",
                                          week=25, patient="Ulla Gran", patient_id="9"))
    units = (
        UnitInfo("Bäckliden", "SÄBO", "Anna Berg", review_minutes=20),
        UnitInfo("Lugnet", "SÄBO", "Anna Berg"),
        UnitInfo("Gruppbostaden", "LSS", "Olle Ek", reviews_in_round=False, review_minutes=45),
        UnitInfo("Solbacken LSS", "LSS", "Olle Ek", reviews_in_round=False),
    )
    return replace(as_document(plan_data), units=units, review_day_start=time(14, 0))


def _week_times(doc: PlanDocument) -> dict[str, str]:
    """Patient → the clock time Veckan shows, over every week with an ÅMV."""
    out: dict[str, str] = {}
    for monday in sorted({a.date - timedelta(days=a.date.weekday()) for a in doc.reviews}):
        for w in build_week([doc], monday, TODAY).reviews:
            out[w.patient] = w.time_text
    return out


def _schedule_times(doc: PlanDocument) -> dict[str, str]:
    """Patient → the clock time on the doctors' round schedules."""
    out: dict[str, str] = {}
    for doctor in doc.doctors:
        for entry in round_schedule(doc, doctor).content.entries:  # type: ignore[union-attr]
            for p in entry.patients:
                out[p.name] = p.time
    return out


def _calendar_times(doc: PlanDocument) -> dict[str, str]:
    """Patient → the clock time in the calendar file's descriptions ("" when in none)."""
    out = {a.patient: "" for a in doc.reviews}
    calendar = Calendar.from_ical(build_calendar(doc, include_names=True).to_ical())
    for event in calendar.walk("VEVENT"):
        for line in str(event["DESCRIPTION"]).splitlines():
            if line.startswith("- "):
                when, _, rest = line[2:].partition(" ")
                name = next(a.patient for a in doc.reviews if rest.startswith(a.patient))
                out[name] = when
    return out


def test_the_week_the_round_schedule_and_the_calendar_give_one_time(doc):
    week, paper, calendar = _week_times(doc), _schedule_times(doc), _calendar_times(doc)
    assert week == paper == calendar
    assert week == {
        "Nils Holm": "09:00–09:20",
        "Astrid Lind": "09:00–09:20", "Karl Nilsson": "09:20–09:40",  # by name in the round
        "Lisa Berg": "14:00–14:45", "Erik Sund": "14:45–15:15",  # separate, by unit
        "Greta Ek": "13:30–14:00",
        "Ulla Gran": "",  # her round is cancelled: no clock time anywhere
    }


def test_a_day_never_passes_midnight(doc):
    assert clock_slots(time(23, 0), [30, 30]) == [
        (time(23, 0), time(23, 30)), (time(23, 30), time(0, 0))]  # ends at 24:00: kept
    assert clock_slots(time(23, 0), [30, 30, 30, 20]) == [
        (time(23, 0), time(23, 30)), (time(23, 30), time(0, 0)), None, None]
    assert clock_slots(time(9, 0), []) == []
    with pytest.raises(ValueError):
        clock_slots(time(9, 0), [0])


def _late_round(doc: PlanDocument, patients: int) -> PlanDocument:
    """Bäckliden's 2 February round at 22:40 with ``patients`` ÅMV of 20 minutes."""
    first = next(a for a in doc.reviews if a.patient == "Karl Nilsson")
    extra = tuple(replace(first, patient=f"Patient {i}", patient_id=100 + i)
                  for i in range(patients - 2))
    rounds = tuple(replace(r, start="22:40") if (r.unit, r.date) == (first.unit, first.date)
                   else r for r in doc.rounds)
    return replace(doc, reviews=doc.reviews + extra, rounds=rounds)


def test_a_late_round_that_ends_at_midnight_keeps_its_times(doc):
    late = _late_round(doc, 4)  # 22:40 + 4 × 20 minutes = 24:00
    for times in (_week_times(late), _schedule_times(late), _calendar_times(late)):
        assert [times[n] for n in ("Astrid Lind", "Karl Nilsson", "Patient 0", "Patient 1")] \
            == ["22:40–23:00", "23:00–23:20", "23:20–23:40", "23:40–00:00"]


def test_an_amv_past_midnight_has_no_time_and_nothing_wraps(doc):
    late = _late_round(doc, 5)  # the fifth would end at 00:20
    for times in (_week_times(late), _schedule_times(late), _calendar_times(late)):
        assert [times[n] for n in ("Astrid Lind", "Patient 1", "Patient 2")] == [
            "22:40–23:00", "23:40–00:00", ""]


def _short_round(doc: PlanDocument, length: int) -> PlanDocument:
    """Bäckliden's 2 February round (two ÅMV of 20 minutes) ``length`` minutes long."""
    day = date(2027, 2, 2)
    return replace(doc, rounds=tuple(replace(r, length_min=length)
                                     if (r.unit, r.date) == ("Bäckliden", day) else r
                                     for r in doc.rounds))


def test_reviews_that_fit_in_the_round_keep_their_times(doc):
    """R5b: 2 × 20 minutes in a 40-minute round."""
    short = _short_round(doc, 40)
    for times in (_week_times(short), _schedule_times(short), _calendar_times(short)):
        assert [times[n] for n in ("Astrid Lind", "Karl Nilsson")] == [
            "09:00–09:20", "09:20–09:40"]


def test_a_review_past_the_rounds_end_has_no_time(doc):
    """R5b: an ÅMV kept beyond the round's time (locked by hand, the round shortened) is
    never printed after the round: it has no clock time."""
    from lakarrond.timetable import OUTSIDE_ROUND, timetable

    short = _short_round(doc, 30)
    for times in (_week_times(short), _schedule_times(short), _calendar_times(short)):
        assert [times[n] for n in ("Astrid Lind", "Karl Nilsson")] == ["09:00–09:20", ""]
    late = [t for t in timetable(short).on(date(2027, 2, 2)) if not t.timed]
    assert [t.why for t in late] == [OUTSIDE_ROUND]


def test_only_reviews_held_in_a_round_count_for_it(doc):
    """The Excel sheet Ronder counts the ÅMV held in each round: the cancelled round on
    25 June holds none, though an ÅMV still carries its date."""
    from openpyxl import Workbook

    sheet = Workbook().active
    _write_rounds(sheet, doc)
    counts = {row[0]: row[10] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert counts[date(2027, 2, 2)] == 2
    assert counts[date(2027, 6, 25)] == 0


def test_a_filtered_copy_keeps_the_whole_plans_times(doc):
    """Exported or printed for one unit, an ÅMV on a separate ÅMV time keeps the time it has
    in the whole plan (Erik Sund follows Lisa Berg of another unit that day)."""
    part = doc.filtered(unit="Solbacken LSS").without_personnummer()
    assert _calendar_times(part) == {"Erik Sund": "14:45–15:15"}
    assert _schedule_times(part) == {"Erik Sund": "14:45–15:15"}
    event = next(iter(Calendar.from_ical(build_calendar(part).to_ical()).walk("VEVENT")))
    assert event.decoded("DTSTART").strftime("%H:%M") == "13:45"  # 14:45 CET, in UTC
    assert event.decoded("DTEND").strftime("%H:%M") == "14:15"
