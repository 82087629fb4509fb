"""The whole path: template → filled programmatically → import → plan → export → read back
with openpyxl and icalendar, equal to the plan in the store."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import openpyxl
from icalendar import Calendar
from io_fixtures import filled_workbook

from lakarrond.services.document import load_document
from lakarrond.services.exporter import export_plan
from lakarrond.services.importer import import_workbook
from lakarrond.services.plan import plan_year
from lakarrond.store import open_database


def test_template_to_import_to_plan_to_excel_and_calendar(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "db" / "lakarrond.sqlite"))
    try:
        import_workbook(db, filled_workbook(tmp_path / "ifylld.xlsx"))
        saved = plan_year(db, 2027, time_limit=10)
        assert saved.result.appointments
        xlsx = export_plan(db, 2027, tmp_path / "plan.xlsx")
        ics = export_plan(db, 2027, tmp_path / "plan.ics")
        with db.begin() as session:
            doc = load_document(session, 2027)
    finally:
        db.dispose()

    stored = sorted((a.date.isoformat(), a.unit, a.patient, a.personnummer or None,
                     a.preparation.isoformat(), a.status) for a in doc.reviews)
    assert len(stored) == len(saved.result.appointments)

    sheet = openpyxl.load_workbook(xlsx)["Årsplan"]
    header = [c.value for c in sheet[1]]
    assert header == ["Datum", "Vecka", "Veckodag", "Läkare", "Enhet", "Patient",
                      "Personnummer", "Rum", "Förberedelse", "Status", "Tid"]
    rows = []
    for row in sheet.iter_rows(min_row=2, values_only=True):
        values = dict(zip(header, row, strict=True))
        assert isinstance(values["Datum"], datetime)  # a real date cell
        rows.append((values["Datum"].date().isoformat(), values["Enhet"], values["Patient"],
                     values["Personnummer"] or None,
                     values["Förberedelse"].date().isoformat(), values["Status"]))
    assert sorted(rows) == stored

    calendar = Calendar.from_ical(Path(ics).read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    per_event = Counter()
    for event in events:
        start = event.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset().total_seconds() == 0
        count = int(re.search(r"(\d+) ÅMV", str(event["summary"])).group(1))
        per_event[start.date()] += count
    per_store = Counter(date.fromisoformat(a[0]) for a in stored)
    assert per_event == per_store  # every ÅMV of the store in the calendar, on its day
    text = Path(ics).read_text(encoding="utf-8")
    assert all(a.patient not in text for a in doc.reviews)
    assert "19121212" not in text
