"""Exporting a plan: exact §3 JSON, filters, atomic writes, the audit row."""

from __future__ import annotations

import errno
import json
from datetime import date

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput, UserError
from lakarrond.io.files import atomic_write
from lakarrond.printouts import round_schedule
from lakarrond.services import exporter
from lakarrond.services.document import load_document
from lakarrond.services.exporter import export_plan
from lakarrond.services.plan import plan_year
from lakarrond.services.printing import record_printout
from lakarrond.store import models as m

YEAR = 2027
APPOINTMENT_KEYS = ("date", "week", "doctor", "unit", "patient", "personnummer",
                    "preparation", "status", "start")


@pytest.fixture
def out_dir(tmp_path):
    folder = tmp_path / "ut"
    folder.mkdir()
    return folder


@pytest.fixture
def planned(small_db):
    plan_year(small_db, YEAR, time_limit=10)
    return small_db


def test_json_export_is_exactly_the_contract(planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "plan.json")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert list(doc) == ["year", "from", "solver", "appointments", "unplaced", "not_required",
                     "violations",
                     "measures", "warnings"]
    assert list(doc["solver"]) == ["status", "objective", "bound", "wall_s"]
    assert len(doc["appointments"]) == 8
    assert all(list(a) == list(APPOINTMENT_KEYS) for a in doc["appointments"])
    assert all(a["status"] == "Planerad" for a in doc["appointments"])
    assert list(doc["measures"]) == [
        "coverage", "max_interval_months", "peak_week", "peak_week_bound", "moved",
        "moved_in_freeze", "doctor_time"]  # issue 18
    assert doc["measures"]["coverage"] == 1.0
    assert "Anna Berg" in doc["measures"]["peak_week"]
    assert [p.name for p in out_dir.iterdir()] == ["plan.json"]  # no temp file left


def test_export_is_audited_on_both_backends(planned, out_dir):
    export_plan(planned, YEAR, out_dir / "plan.json", doctor="Anna Berg")
    with planned.begin() as s:
        row = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "export")).one()
    assert row.entity == "plan" and row.user
    assert row.after["format"] == "json" and row.after["count"] == 8
    assert row.after["path"].endswith("plan.json")


def test_filters_and_no_personnummer(planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "p.json", unit="Tallen",
                      date_from=date(YEAR, 1, 1), date_to=date(YEAR, 6, 30),
                      include_personnummer=False)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["appointments"]
    assert all(a["unit"] == "Tallen" and a["date"] <= f"{YEAR}-06-30"
               for a in doc["appointments"])
    out = export_plan(planned, YEAR, out_dir / "q.json", include_personnummer=False)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert all(a["personnummer"] is None for a in doc["appointments"])


def test_prep_filters_on_preparation_dates(planned, out_dir):
    full = json.loads(export_plan(planned, YEAR, out_dir / "a.json").read_text("utf-8"))
    first = min(a["preparation"] for a in full["appointments"])
    out = export_plan(planned, YEAR, out_dir / "b.json", prep=True,
                      date_from=date.fromisoformat(first), date_to=date.fromisoformat(first))
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["appointments"] and all(a["preparation"] == first for a in doc["appointments"])


def test_writers_get_the_filtered_document(planned, out_dir, monkeypatch):
    seen = {}

    def fake_xlsx(doc, path, include_personnummer):
        seen["xlsx"] = (doc, include_personnummer)
        path.write_bytes(b"xlsx")

    def fake_ics(doc, path, doctor, include_names=False):
        seen["ics"] = (doc, doctor)
        path.write_text("BEGIN:VCALENDAR")

    monkeypatch.setattr(exporter, "write_plan_xlsx", fake_xlsx)
    monkeypatch.setattr(exporter, "write_plan_ics", fake_ics)
    export_plan(planned, YEAR, out_dir / "p.xlsx", include_personnummer=False)
    doc, include = seen["xlsx"]
    assert include is False and doc.rounds and doc.settings.year == YEAR
    assert all(a.personnummer is None for a in doc.reviews)
    assert (out_dir / "p.xlsx").read_bytes() == b"xlsx"
    export_plan(planned, YEAR, out_dir / "p.ics", doctor="Anna Berg",
                date_from=date(YEAR, 3, 1), date_to=date(YEAR, 3, 31))
    doc, doctor = seen["ics"]
    assert doctor == "Anna Berg"
    assert doc.rounds and all(date(YEAR, 3, 1) <= r.date <= date(YEAR, 3, 31)
                              for r in doc.rounds)


def test_the_real_excel_writer(planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "plan.xlsx")
    assert out.stat().st_size > 0


def test_bad_requests(planned, out_dir):
    with pytest.raises(UserError, match="PDF"):
        export_plan(planned, YEAR, out_dir / "p.pdf")
    with pytest.raises(BadInput, match="filformat"):
        export_plan(planned, YEAR, out_dir / "p.txt")
    with pytest.raises(BadInput, match="Läkaren"):
        export_plan(planned, YEAR, out_dir / "p.json", doctor="Ingen Alls")
    with pytest.raises(BadInput, match="ingen sparad plan"):
        export_plan(planned, YEAR + 1, out_dir / "p.json")
    with pytest.raises(BadInput, match="Mappen"):
        export_plan(planned, YEAR, out_dir / "saknas" / "p.json")
    assert sorted(p.name for p in out_dir.iterdir()) == []


def test_atomic_write_leaves_nothing_half_written(tmp_path):
    target = tmp_path / "plan.json"
    target.write_text("gammal")

    def crash(path):
        path.write_text("halv")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(UserError, match="Disken är full") as caught:
        atomic_write(target, crash)
    assert "No space" not in str(caught.value)
    assert target.read_text() == "gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_printout_is_audited(planned):
    with planned.begin() as s:
        doc = load_document(s, YEAR)
    record_printout(planned, round_schedule(doc, "Anna Berg"))
    with planned.begin() as s:
        row = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print")).one()
    assert row.after["what"] == "rondschema" and row.after["count"] == 8
    assert row.after["numbers"] == "masked"


def test_the_real_calendar_writer(planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "anna.ics", doctor="Anna Berg")
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
