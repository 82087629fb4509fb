"""The yearly follow-up as files (issue 18.6): the workbook opens with openpyxl, has one sheet
per table with Swedish headers, a chart per measure and the plan's page setup, and prints
through LibreOffice headless; the PDF through the program's print path has the tables."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from lakarrond.followup import (
    COUNT_KEYS,
    HEADERS,
    Hours,
    PatientYear,
    Recorded,
    UnitYear,
    follow_up,
)
from lakarrond.io.followup_excel import CHART_SHEET, write_follow_up_xlsx
from lakarrond.io.followup_pdf import write_follow_up_pdf

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
YEAR = 2025
TABLES = ["Per vårdcentral", "Per läkare", "Per enhet", "Totalt"]


def _result():  # type: ignore[no-untyped-def]
    patients = [
        PatientYear(1, "Bäckliden", "Anna Berg", "VC Norr", date(2015, 1, 1), None,
                    date(2024, 3, 4), Recorded(date(YEAR, 2, 25), "Genomförd")),
        PatientYear(2, "Tallen", "Bo Lind", "VC Söder", date(2015, 1, 1), None,
                    date(2024, 1, 4), Recorded(date(YEAR, 6, 3), "Avböjd")),
    ]
    units = [UnitYear("Bäckliden", "Anna Berg", "VC Norr", 50, 2, 1),
             UnitYear("Tallen", "Bo Lind", "VC Söder", 25, 2, 0)]
    hours = {"Bäckliden": Hours(2.0, 1), "Tallen": Hours(0.5, 1)}
    return follow_up(YEAR, patients, units, 28, hours,
                     {"Anna Berg": Hours(2.0, 1), "Bo Lind": Hours(0.5, 1)})


def test_the_workbook_has_a_sheet_per_table_and_a_chart_per_measure(tmp_path: Path) -> None:
    out = tmp_path / "uppfoljning.xlsx"
    write_follow_up_xlsx(_result(), out)
    book = load_workbook(out)
    assert book.sheetnames == [*TABLES, CHART_SHEET]
    units = book["Per enhet"]
    header = [c.value for c in units[1]]
    assert header == ["Vårdcentral", "Läkare", "Enhet",
                      *[HEADERS[k] for k in (*COUNT_KEYS, "per_10")]]
    assert [c.value for c in units[2]][:5] == ["VC Norr", "Anna Berg", "Bäckliden", 1, 1]
    assert len(book[CHART_SHEET]._charts) == len(COUNT_KEYS) + 1
    for name in TABLES:
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$1"
    assert out.stat().st_mode & 0o777 == 0o600


def test_an_empty_year_still_makes_a_workbook(tmp_path: Path) -> None:
    out = tmp_path / "tom.xlsx"
    write_follow_up_xlsx(follow_up(YEAR, [], [], 28, {}, {}), out)
    assert load_workbook(out)["Totalt"]["A2"].value == 0


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) saknas")
def test_the_workbook_prints_through_libreoffice(tmp_path: Path) -> None:
    out = tmp_path / "uppfoljning.xlsx"
    write_follow_up_xlsx(_result(), out)
    profile = tmp_path / "lo-profil"
    subprocess.run(
        [str(SOFFICE), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=300)
    pages = [p.extract_text() for p in PdfReader(str(tmp_path / "uppfoljning.pdf")).pages]
    assert len(pages) >= len(TABLES)
    text = "\n".join(pages)
    assert "Årsuppföljning 2025" in text and "Bäckliden" in text and "Sida" in text


def test_the_pdf_has_every_table(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "uppfoljning.pdf"
    pages = write_follow_up_pdf(_result(), out)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages)
    assert pages == len(TABLES)
    for name in TABLES:
        assert f"Årsuppföljning {YEAR} – {name}" in text
    assert "Bäckliden" in text and "Tallen" in text


def test_a_health_centres_name_has_room_in_the_pdf_table() -> None:
    """Found walking the window: "Vårdcentralen Stenporten" was broken inside the word
    ("Vårdcentral / en") in the PDF's table per health centre (11 % of the page)."""
    from lakarrond.io.followup_pdf import follow_up_html

    tables = follow_up_html(_result()).split("<h1")
    per_centre = next(t for t in tables if "Per vårdcentral" in t.split("</h1>")[0])
    per_unit = next(t for t in tables if "Per enhet" in t.split("</h1>")[0])
    assert "<th width='24%'>Vårdcentral</th>" in per_centre
    # the table per unit shares the width among three names: as narrow as before
    assert "<th width='11%'>Vårdcentral</th>" in per_unit
