"""The exported plan prints: LibreOffice (headless) turns the workbook of the example
municipality (~450 patients) into a PDF, and the Årsplan sheet must come out one page wide
(all ten columns on every page), in at most 15 pages, with user text shown as typed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.services.demo import load_demo
from lakarrond.services.exporter import export_plan
from lakarrond.services.plan import plan_year
from lakarrond.store import models as m
from lakarrond.store import open_database

YEAR = 2027
HOSTILE = "=cmd|' /C calc'!A0"
HEADERS = ("Datum", "Vecka", "Veckodag", "Läkare", "Enhet", "Patient", "Personnummer",
           "Rum", "Förberedelse", "Status", "Tid")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(workbook: Path, folder: Path) -> Path:
    """Convert with LibreOffice in its own profile folder (no clash with a running one)."""
    profile = folder / "lo-profil"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )
    return folder / f"{workbook.stem}.pdf"


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) saknas")
def test_the_year_plan_of_a_municipality_prints_one_page_wide(tmp_path: Path) -> None:
    db = open_database(tmp_path / "kommun.sqlite")
    try:
        load_demo(db, YEAR)
        with db.begin() as session:
            patient = session.scalars(select(m.Patient).order_by(m.Patient.id)).first()
            patient.name = HOSTILE
            patient_count = len(session.scalars(select(m.Patient)).all())
        plan_year(db, YEAR)
        out = tmp_path / "plan.xlsx"
        export_plan(db, YEAR, out)
    finally:
        db.dispose()
    assert patient_count >= 400
    pages = [page.extract_text() for page in PdfReader(to_pdf(out, tmp_path)).pages]
    plan_pages = [text for text in pages if f"Årsplan {YEAR}" in text.splitlines()[0]]
    assert 1 <= len(plan_pages) <= 15, len(plan_pages)
    for number, text in enumerate(plan_pages, start=1):
        header = next(line for line in text.splitlines() if line.startswith("Datum"))
        assert header.split() == list(HEADERS), (number, header)  # no column on another page
        assert "Sida " in text and "Vårdcentralen" in text.splitlines()[0]
    appointments = sum(1 for text in plan_pages for line in text.splitlines()
                       if line[:4] == str(YEAR) and line[4:5] == "-")
    assert appointments >= 400
    shown = "\n".join(plan_pages)
    assert HOSTILE in shown and "#NAME" not in shown and "Err:" not in shown
