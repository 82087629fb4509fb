"""The planning basis, "Planeringsunderlag fast planerad läkartid" (issue 21.4): one round
or a doctor's rounds in a period, the ÅMV and matters in clock order, the preparation steps,
the time booked against the length; JSON exactly as contracts §3; the PDF read back (pypdf)
with every item. The note is printed only there: never in the Excel plan or the calendar."""

from __future__ import annotations

import json
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.services.basis import make_basis, write_basis
from lakarrond.services.exporter import export_plan
from lakarrond.services.matters import book
from lakarrond.services.preparation import tick
from lakarrond.store import models as m
from tests.matter_store import (  # noqa: F401 - db, template: fixtures
    HOME,
    TODAY,
    YEAR,
    copy_of,
    db,
    make_planned,
    review_dates,
    template,
)

NOTE = "Sämre aptit sedan två veckor"
ROUND_KEYS = ["unit", "date", "start", "end", "length_min", "booked_min", "doctor",
              "substitute", "substitute_phone", "nurse", "items"]
ITEM_KEYS = ["id", "kind", "patient", "personnummer", "minutes", "start", "by", "note",
             "status"]



@pytest.fixture
def booked(db):
    """A round with one ÅMV (Karl Nilsson, personnummer known) and two matters."""
    day = min(d for d, names in review_dates(db).items() if names == ["Karl Nilsson"])
    book(db, HOME, day, "Avstämning", minutes=10, by_role="Sjuksköterska",
         by_name="Eva Syster")
    book(db, HOME, day, "Hembesök", patient="Greta Ek", minutes=20, by_role="Arbetsterapeut",
         by_name="Lisa Ek", note=NOTE)
    with db.read() as s:
        karl = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
    tick(db, karl.id, day, "Informera patienten", done_on=date(YEAR, 1, 5))
    return day


def test_one_round_lists_the_review_then_the_matters_in_clock_order(db, booked):
    [rnd] = make_basis(db, unit=HOME, day=booked)
    data = rnd.to_json()
    assert list(data) == ROUND_KEYS
    assert all(list(item) == ITEM_KEYS for item in data["items"])
    assert (data["unit"], data["date"], data["start"], data["end"], data["length_min"],
            data["booked_min"], data["doctor"], data["substitute"], data["nurse"]) == (
        HOME, booked.isoformat(), "09:00", "10:00", 60, 60, "Anna Berg", None, "Eva Syster")
    assert [(i["kind"], i["patient"], i["start"], i["minutes"], i["by"], i["note"])
            for i in data["items"]] == [
        ("ÅMV", "Karl Nilsson", "09:00", 30, None, None),
        ("Avstämning", None, "09:30", 10, "Sjuksköterska Eva Syster", None),
        ("Hembesök", "Greta Ek", "09:40", 20, "Arbetsterapeut Lisa Ek", NOTE)]
    assert [i["personnummer"] for i in data["items"]] == [None, None, None]
    assert dict(rnd.items[0].steps)["Informera patienten"] is True
    assert dict(rnd.items[0].steps)["Provtagning"] is False


def test_personnummer_only_when_asked_for(db, booked):
    [rnd] = make_basis(db, unit=HOME, day=booked, with_personnummer=True)
    assert [i.personnummer for i in rnd.items] == ["19380412-1238", None, "19300101-0010"]


def test_a_doctors_rounds_in_a_period(db, booked):
    rounds = make_basis(db, doctor="Anna Berg", date_from=booked,
                        date_to=date.fromordinal(booked.toordinal() + 13))
    assert (rounds[0].unit, rounds[0].date) == (HOME, booked)
    assert all(r.doctor == "Anna Berg" for r in rounds)
    assert [r.date for r in rounds] == sorted(r.date for r in rounds)


def test_a_date_without_a_round_or_a_half_choice_is_refused(db):
    with pytest.raises(BadInput, match="ingen rond"):
        make_basis(db, unit=HOME, day=date(YEAR, 4, 14))
    with pytest.raises(BadInput, match="Ange en rond"):
        make_basis(db, unit=HOME)


def test_the_json_file_is_the_list_of_rounds(db, booked, tmp_path):
    rounds = make_basis(db, unit=HOME, day=booked)
    out = write_basis(db, rounds, tmp_path / "underlag.json")
    assert json.loads(out.read_text(encoding="utf-8")) == [r.to_json() for r in rounds]
    assert out.stat().st_mode & 0o777 == 0o600


def test_the_pdf_has_every_item_with_the_note_and_the_steps(qapp, db, booked, tmp_path):
    rounds = make_basis(db, unit=HOME, day=booked)
    out = write_basis(db, rounds, tmp_path / "underlag.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    words = " ".join(text.split())
    for expected in ("Planeringsunderlag fast planerad läkartid", HOME, booked.isoformat(),
                     "09:00–10:00", "Anna Berg", "Eva Syster", "60 av 60 min",
                     "Karl Nilsson", "Rum 1", "Avstämning", "Hembesök", "Greta Ek",
                     "Arbetsterapeut Lisa Ek", NOTE, "Informera patienten", "Provtagning",
                     "09:30", "09:40"):
        assert expected in words, expected
    assert "19380412" not in words  # no personnummer unless asked for


def test_the_note_is_never_in_the_excel_plan_or_the_calendar(db, booked, tmp_path):
    xlsx = export_plan(db, YEAR, tmp_path / "plan.xlsx")
    ics = export_plan(db, YEAR, tmp_path / "plan.ics", include_names=True)
    with zipfile.ZipFile(xlsx) as z:
        sheets = " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                          if n.endswith(".xml"))
    assert "Karl Nilsson" in sheets  # the plan is there …
    assert NOTE not in sheets  # … the note is not
    assert NOTE not in ics.read_text(encoding="utf-8")
    [rnd] = make_basis(db, unit=HOME, day=booked)
    assert NOTE in json.dumps(rnd.to_json(), ensure_ascii=False)  # only the basis has it


def test_writing_the_basis_is_audited_without_the_note(db, booked, tmp_path):
    rounds = make_basis(db, unit=HOME, day=booked)
    write_basis(db, rounds, tmp_path / "underlag.json")
    with db.read() as s:
        [row] = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "basis")).all()
    assert (row.action, row.after["what"], row.after["rounds"], row.after["numbers"]) == (
        "export", "planeringsunderlag", 1, "none")
    assert NOTE not in repr(row.after)
