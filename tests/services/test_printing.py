"""Printing use cases (issue 6): round schedule and preparation list from a saved plan, as
PDF through the services and the command line, checked against the plan; audit rows."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.cli import main
from lakarrond.document import PlanDocument
from lakarrond.errors import BadInput
from lakarrond.io import pdf
from lakarrond.printouts import FULL, NONE, ROUND_SCHEDULE
from lakarrond.services import printing
from lakarrond.services.document import load_document
from lakarrond.services.exporter import export_plan
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store import open_database
from tests.stores import fill_small_store

YEAR = 2027
MARCH = (date(YEAR, 3, 1), date(YEAR, 3, 31))


def pdf_text(path: Path) -> str:
    pages = PdfReader(str(path)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def embedded_fonts(path: Path) -> list[bool]:
    result = []
    for page in PdfReader(str(path)).pages:
        for ref in page["/Resources"]["/Font"].get_object().values():
            font = ref.get_object()
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            result.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    return result


def print_rows(db) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        rows = s.scalars(select(m.AuditLog).where(m.AuditLog.action == "print")
                         .order_by(m.AuditLog.id)).all()
        return [dict(r.after) for r in rows]


@pytest.fixture
def planned(sqlite_db):  # type: ignore[no-untyped-def]
    fill_small_store(sqlite_db)
    plan_year(sqlite_db, YEAR, time_limit=10)
    return sqlite_db


def as_rows(doc: PlanDocument) -> dict:
    """The document as rows of plain values (ISO dates), easy to compare with PDF text."""
    return {
        "rounds": [{"date": r.date.isoformat(), "week": r.week, "start": r.start,
                    "doctor": r.doctor, "unit": r.unit, "cancelled": r.cancelled,
                    "cancel_reason": r.cancel_reason, "substitute": r.substitute}
                   for r in doc.rounds],
        "appointments": [{"date": a.date.isoformat(), "preparation": a.preparation.isoformat(),
                          "doctor": a.doctor, "unit": a.unit, "patient": a.patient,
                          "personnummer": a.personnummer} for a in doc.reviews],
    }


@pytest.fixture
def plan(planned) -> dict:  # type: ignore[no-untyped-def]
    with planned.begin() as s:
        return as_rows(load_document(s, YEAR))


def round_pdf(db, doctor, first, last, out):  # type: ignore[no-untyped-def]
    return export_plan(db, YEAR, out, doctor=doctor, date_from=first, date_to=last)


def prep_pdf(db, unit, first, last, out):  # type: ignore[no-untyped-def]
    return export_plan(db, YEAR, out, unit=unit, prep=True, date_from=first, date_to=last)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "ut"
    folder.mkdir()
    return folder


def in_period(day: str, first: date, last: date) -> bool:
    return first.isoformat() <= day <= last.isoformat()


# --- the small store ---------------------------------------------------------------------


def test_round_schedule_pdf_matches_the_plan(qapp, planned, plan, out_dir):
    out = round_pdf(planned, "Anna Berg", *MARCH, out_dir / "rond.pdf")
    text = pdf_text(out)
    rounds = [r for r in plan["rounds"] if in_period(r["date"], *MARCH)]
    assert rounds
    for rnd in rounds:
        assert rnd["date"] in text
        if rnd["substitute"]:  # absence 1–12 March: Per Vikarie stands in
            assert re.search(rf"{rnd['date']} .*?Vikarie: Per Vikarie – Semester", text)
    assert any(r["substitute"] == "Per Vikarie" for r in rounds)
    appts = [a for a in plan["appointments"] if in_period(a["date"], *MARCH)]
    assert appts and any(a["personnummer"] for a in appts)
    for appt in appts:
        assert appt["patient"] in text
        if appt["personnummer"]:
            assert f"{appt['personnummer'][:8]}-****" in text
            assert appt["personnummer"] not in text
    # the LSS home has its ÅMV on separate times, never inside its round
    for appt in (a for a in appts if a["unit"] == "Tallen"):
        assert re.search(rf"{appt['date']} \d+ 13:00–\d\d:\d\d \d+ min Tallen ÅMV-tid", text)
    assert "Bäckliden (SÄBO, ssk Eva Syster)" in text
    assert "Vårdcentralen Test" in text
    assert "Sida 1 av" in text
    assert embedded_fonts(out) and all(embedded_fonts(out))

    (row,) = print_rows(planned)
    assert row["what"] == "rondschema" and row["doctor"] == "Anna Berg"
    assert row["count"] == len(appts) and row["from"] == "2027-03-01"
    assert row["path"] == str(out.resolve()) and row["numbers"] == "masked"
    assert [p.name for p in out_dir.iterdir()] == ["rond.pdf"]  # no temp file left


def test_cancelled_rounds_are_on_the_schedule(qapp, planned, plan, out_dir):
    first, last = date(YEAR, 6, 1), date(YEAR, 8, 31)  # midsummer, summer weeks
    out = round_pdf(planned, "Anna Berg", first, last, out_dir / "sommar.pdf")
    text = pdf_text(out)
    cancelled = [r for r in plan["rounds"] if r["cancelled"] and in_period(r["date"], first, last)]
    assert len(cancelled) >= 5
    for rnd in cancelled:
        assert re.search(rf"{rnd['date']} .*?INSTÄLLD – {re.escape(rnd['cancel_reason'])}", text)


def test_preparation_pdf_matches_the_plan(qapp, planned, plan, out_dir):
    first, last = date(YEAR, 1, 1), date(YEAR, 6, 30)
    out = prep_pdf(planned, "Bäckliden", first, last, out_dir / "prep.pdf")
    text = pdf_text(out)
    appts = [a for a in plan["appointments"]
             if a["unit"] == "Bäckliden" and in_period(a["preparation"], first, last)]
    assert appts
    for appt in appts:
        assert appt["patient"] in text and appt["preparation"] in text and appt["date"] in text
    others = [a for a in plan["appointments"] if a["unit"] != "Bäckliden"]
    assert all(a["patient"] not in text for a in others)
    assert "Sjuksköterska: Eva Syster" in text
    assert "Symtomskattning (PHASE-20)" in text and "Bjud in närstående" in text
    assert "19380412-****" in text or "Karl Nilsson" not in text
    assert "19380412-1238" not in text
    (row,) = print_rows(planned)
    assert row["what"] == "förberedelselista" and row["unit"] == "Bäckliden"
    assert row["count"] == len(appts)


def test_printout_for_the_desktop_preview(qapp, planned, plan):
    job = printing.make_round_schedule(planned, YEAR, "Anna Berg", *MARCH)
    assert job.kind == ROUND_SCHEDULE and job.count > 0
    assert pdf.text_document(job).toPlainText().startswith("Rondschema")
    assert print_rows(planned) == []  # nothing is audited until it is printed
    printing.record_printout(planned, job)
    (row,) = print_rows(planned)
    assert row["doctor"] == "Anna Berg" and "path" not in row

    prep = printing.make_preparation_list(planned, YEAR, "Tallen", numbers=NONE)
    assert prep.count == len([a for a in plan["appointments"] if a["unit"] == "Tallen"])
    assert "****" not in pdf.text_document(prep).toPlainText()


def test_full_personnummer_on_paper_only_when_chosen(qapp, planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "full.pdf", doctor="Anna Berg",
                      full_numbers_on_paper=True)
    text = pdf_text(out)
    assert "19380412-1238" in text
    assert print_rows(planned)[-1]["numbers"] == FULL
    masked = pdf_text(export_plan(planned, YEAR, out_dir / "m.pdf", doctor="Anna Berg"))
    assert "19380412-1238" not in masked and "19380412-****" in masked


def test_without_personnummer(qapp, planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "rond.pdf", doctor="Anna Berg",
                      include_personnummer=False)
    text = pdf_text(out)
    assert "Karl Nilsson" in text and "****" not in text and "19380412" not in text
    assert print_rows(planned)[-1]["numbers"] == NONE


def test_export_plan_routes_pdf(qapp, planned, out_dir):
    out = export_plan(planned, YEAR, out_dir / "r.pdf", doctor="Anna Berg",
                      date_from=MARCH[0], date_to=MARCH[1])
    assert "Rondschema" in pdf_text(out)
    out = export_plan(planned, YEAR, out_dir / "f.pdf", unit="Bäckliden", prep=True,
                      date_from=MARCH[0], date_to=MARCH[1])
    assert "Förberedelselista" in pdf_text(out)
    assert [r["what"] for r in print_rows(planned)] == ["rondschema", "förberedelselista"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "--doctor NAMN"),
    ({"unit": "Bäckliden"}, "--prep"),
    ({"prep": True}, "--unit NAMN"),
    ({"prep": True, "doctor": "Anna Berg"}, "--unit NAMN"),
    ({"doctor": "Ingen Alls"}, "Läkaren \"Ingen Alls\" finns inte"),
    ({"unit": "Ingenstans", "prep": True}, "Enheten \"Ingenstans\" finns inte"),
    ({"doctor": "Anna Berg", "date_from": date(YEAR, 4, 1), "date_to": date(YEAR, 3, 1)},
     "före startdatum"),
])
def test_bad_pdf_requests(qapp, planned, out_dir, kwargs, message):
    with pytest.raises(BadInput, match=re.escape(message)):
        export_plan(planned, YEAR, out_dir / "x.pdf", **kwargs)
    assert list(out_dir.iterdir()) == []
    assert print_rows(planned) == []


def test_no_plan_yet(qapp, sqlite_db, out_dir):
    fill_small_store(sqlite_db)
    with pytest.raises(BadInput, match="ingen sparad plan"):
        round_pdf(sqlite_db, "Anna Berg", None, None, out_dir / "x.pdf")


# --- the command line --------------------------------------------------------------------


@pytest.fixture
def planned_path(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "db" / "lakarrond.sqlite"
    db = open_database(str(path))
    fill_small_store(db)
    plan_year(db, YEAR, time_limit=10)
    db.dispose()
    return str(path)


def test_cli_round_schedule_and_preparation_list(qapp, planned_path, tmp_path, capsys):
    rond = tmp_path / "rond.pdf"
    assert main(["--db", planned_path, "export", "--year", str(YEAR), "--doctor", "Anna Berg",
                 "--from", "2027-03-01", "--to", "2027-03-31", "--out", str(rond)]) == 0
    assert "rond.pdf" in capsys.readouterr().out
    assert "Rondschema" in pdf_text(rond)
    prep = tmp_path / "prep.pdf"
    assert main(["--db", planned_path, "export", "--year", str(YEAR), "--unit", "Bäckliden",
                 "--prep", "--from", "2027-03-01", "--to", "2027-05-31", "--out",
                 str(prep)]) == 0
    assert "Förberedelselista" in pdf_text(prep)
    db = open_database(planned_path)
    try:
        assert [r["what"] for r in print_rows(db)] == ["rondschema", "förberedelselista"]
    finally:
        db.dispose()


def test_cli_pdf_without_doctor_or_unit_is_bad_input(qapp, planned_path, tmp_path, capsys):
    assert main(["--db", planned_path, "export", "--year", str(YEAR), "--out",
                 str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "--doctor NAMN" in err and "--unit NAMN --prep" in err and "Traceback" not in err
    assert main(["--db", planned_path, "export", "--year", str(YEAR), "--prep", "--out",
                 str(tmp_path / "x.pdf")]) == 2
    assert "--unit NAMN" in capsys.readouterr().err


# --- the demo municipality ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    from lakarrond.services.demo import load_demo

    db = open_database(str(tmp_path_factory.mktemp("demo") / "demo.sqlite"))
    load_demo(db, YEAR)
    plan_year(db, YEAR, time_limit=10)
    with db.begin() as s:
        doc = as_rows(load_document(s, YEAR))
    yield db, doc
    db.dispose()


def test_demo_round_schedules_of_every_doctor(qapp, demo, tmp_path):
    db, doc = demo
    first, last = date(YEAR, 3, 1), date(YEAR, 4, 30)  # Easter, absences
    doctors = sorted({r["doctor"] for r in doc["rounds"]})
    seen_substitute = seen_cancelled = False
    for doctor in doctors:
        out = round_pdf(db, doctor, first, last, tmp_path / f"{doctor}.pdf")
        text = pdf_text(out)
        for rnd in (r for r in doc["rounds"]
                    if r["doctor"] == doctor and in_period(r["date"], first, last)):
            assert f"{rnd['date']} {rnd['week']} {rnd['start']}" in text
            if rnd["cancelled"]:
                seen_cancelled = True
                assert f"INSTÄLLD – {rnd['cancel_reason']}" in text
            elif rnd["substitute"]:
                seen_substitute = True
                assert f"Vikarie: {rnd['substitute']}" in text
        for appt in (a for a in doc["appointments"]
                     if a["doctor"] == doctor and in_period(a["date"], first, last)):
            assert appt["patient"] in text
            assert f"{appt['personnummer'][:8]}-****" in text
            assert appt["personnummer"] not in text
        assert all(embedded_fonts(out))
    assert seen_substitute and seen_cancelled
    assert len([r for r in print_rows(db) if r["what"] == "rondschema"]) >= len(doctors)


def test_demo_preparation_lists(qapp, demo, tmp_path):
    db, doc = demo
    first, last = date(YEAR, 8, 1), date(YEAR, 9, 30)
    units = sorted({a["unit"] for a in doc["appointments"]})
    for unit in units:
        out = prep_pdf(db, unit, first, last, tmp_path / f"{unit}.pdf")
        text = pdf_text(out)
        for appt in (a for a in doc["appointments"]
                     if a["unit"] == unit and in_period(a["preparation"], first, last)):
            assert appt["patient"] in text and appt["preparation"] in text
