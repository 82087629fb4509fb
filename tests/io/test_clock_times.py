"""Clock times of the ÅMV (issue 14.6): in a round the k-th ÅMV starts at the round's start +
k × the unit's minutes per ÅMV; on separate ÅMV times they follow each other from the
setting ``review_day_start``. The same times on the round schedule (PDF) and in the calendar
file (.ics)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from icalendar import Calendar
from io_fixtures import as_document
from pypdf import PdfReader

from lakarrond.document import PlanDocument, UnitInfo
from lakarrond.io import pdf
from lakarrond.io.ics import write_plan_ics
from lakarrond.printouts import clock_slots, round_schedule, round_times, separate_times


@pytest.fixture
def timed_doc(plan_data: dict) -> PlanDocument:
    """Bäckliden 20 minutes per ÅMV, Gruppbostaden 45, Solbacken LSS the default 30;
    separate ÅMV times from 14:00."""
    doc = as_document(plan_data)
    units = (
        UnitInfo("Bäckliden", "SÄBO", "Anna Berg", review_minutes=20),
        UnitInfo("Lugnet", "SÄBO", "Anna Berg"),
        UnitInfo("Gruppbostaden", "LSS", "Olle Ek", reviews_in_round=False, review_minutes=45),
        UnitInfo("Solbacken LSS", "LSS", "Olle Ek", reviews_in_round=False),
    )
    return replace(doc, units=units, review_day_start=time(14, 0))


def _pdf_text(doc: PlanDocument, doctor: str, tmp_path: Path) -> str:
    out = tmp_path / f"{doctor}.pdf"
    pdf.write_pdf(pdf.text_document(round_schedule(doc, doctor)), out)
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)


def test_clock_slots_follow_each_other():
    assert clock_slots(time(9, 0), [20, 20, 45]) == [
        (time(9, 0), time(9, 20)), (time(9, 20), time(9, 40)), (time(9, 40), time(10, 25))]
    assert clock_slots(time(9, 0), []) == []


def test_times_in_a_round_and_on_separate_times(timed_doc):
    rnd = next(r for r in timed_doc.rounds
               if r.unit == "Bäckliden" and r.date == date(2027, 2, 2))
    in_round = [a for a in timed_doc.reviews if a.date == date(2027, 2, 2)]
    assert [(t.review.patient, t.text) for t in round_times(timed_doc, rnd, in_round)] == [
        ("Astrid Lind", "09:00–09:20"), ("Karl Nilsson", "09:20–09:40")]
    lss = [a for a in timed_doc.reviews if a.date == date(2027, 3, 10)]
    assert [(t.review.patient, t.text) for t in separate_times(timed_doc, lss)] == [
        ("Lisa Berg", "14:00–14:45"), ("Erik Sund", "14:45–15:15")]


def test_the_round_schedule_shows_each_reviews_time(qapp, timed_doc, tmp_path):
    text = _pdf_text(timed_doc, "Anna Berg", tmp_path)
    assert "ÅMV 09:00–09:20 Astrid Lind" in text
    assert "ÅMV 09:20–09:40 Karl Nilsson" in text
    assert "ÅMV 13:30–14:00 Greta Ek" in text  # Lugnet: the default 30 minutes
    text = _pdf_text(timed_doc, "Olle Ek", tmp_path)
    assert "ons 2027-03-10 10 14:00–15:15 75 min Gruppbostaden, Solbacken LSS ÅMV-tid" in text
    assert "ÅMV 14:00–14:45 Lisa Berg" in text and "ÅMV 14:45–15:15 Erik Sund" in text


def test_the_calendar_lists_each_patient_with_the_time(timed_doc, tmp_path):
    out = tmp_path / "plan.ics"
    write_plan_ics(timed_doc, out, include_names=True)
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    feb = events["Bäckliden – 2 ÅMV"]
    assert feb.decoded("DTSTART") == datetime(2027, 2, 2, 8, 0, tzinfo=UTC)  # the round
    description = str(feb["DESCRIPTION"])
    assert "- 09:00–09:20 Astrid Lind (rum 3)" in description
    assert "- 09:20–09:40 Karl Nilsson (rum 12)" in description
    separate = events["Gruppbostaden, Solbacken LSS – 2 ÅMV"]
    assert separate.decoded("DTSTART") == datetime(2027, 3, 10, 13, 0, tzinfo=UTC)  # 14:00
    assert separate.decoded("DTEND") == datetime(2027, 3, 10, 14, 15, tzinfo=UTC)  # 15:15
    text = str(separate["DESCRIPTION"])
    assert "- 14:00–14:45 Lisa Berg (Gruppbostaden)" in text
    assert "- 14:45–15:15 Erik Sund (Solbacken LSS)" in text
    assert "19121212-1212" not in out.read_text(encoding="utf-8")  # never a personnummer


def test_without_names_no_times_or_patients(timed_doc, tmp_path):
    out = tmp_path / "plan.ics"
    write_plan_ics(timed_doc, out)
    raw = out.read_text(encoding="utf-8")
    assert "Astrid Lind" not in raw and "09:00–09:20" not in raw
