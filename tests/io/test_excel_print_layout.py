"""How the exported plan prints (issue 22, defect list 11): the weekly table of "Per månad"
starts on its own page under its own header (not under the repeated month header), the long
reasons and fixes of "Avvikelser" wrap inside the page, and "Inställningar" speaks plain
Swedish with a local time. The printed checks convert the workbook with LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from io_fixtures import as_document
from pypdf import PdfReader

from lakarrond.io.excel_export import write_plan_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
MONTH_HEADER = "Enhet jan feb mar"
LONG_REASON = ("mer än tolv månader sedan senaste ÅMV eftersom ronden på Bäckliden ställdes in "
               "tre gånger under våren och läkaren var frånvarande hela sommaren utan någon "
               "vikarie som kunde hålla ronden på enheten orsakensslut")
LONG_FIX = ("höj antalet ÅMV per rond till två eller lägg till en extra rond för enheten under "
            "maj månad och meddela sjuksköterskan och patientens närstående i god tid "
            "åtgärdensslut")


def _workbook(tmp_path: Path, plan_data: dict) -> Path:
    plan_data["violations"][0]["message"] = LONG_REASON
    plan_data["violations"][0]["fix"] = LONG_FIX
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(as_document(plan_data), path)
    return path


def _to_pdf(workbook: Path, folder: Path) -> Path:
    profile = folder / "lo-profil"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), str(workbook)],
        check=True, capture_output=True, timeout=300,
    )
    return folder / f"{workbook.stem}.pdf"


def test_the_weekly_table_prints_on_its_own_page_under_its_own_header(
        tmp_path: Path, plan_data: dict) -> None:
    sheet = openpyxl.load_workbook(_workbook(tmp_path, plan_data))["Per månad"]
    week_header = next(row[0].row for row in sheet.iter_rows(min_col=1, max_col=1)
                       if row[0].value == "Vecka")
    assert sheet.print_title_rows == f"${week_header}:${week_header}"
    assert [b.id for b in sheet.row_breaks.brk] == [week_header - 1]
    assert sheet["A1"].value == "Enhet"  # the month table, printed once on the first page


def test_long_reasons_and_fixes_wrap_in_a_bounded_column(tmp_path: Path,
                                                          plan_data: dict) -> None:
    sheet = openpyxl.load_workbook(_workbook(tmp_path, plan_data))["Avvikelser"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == LONG_REASON)
    assert row[4].alignment.wrap_text and row[5].alignment.wrap_text
    assert sheet.column_dimensions["E"].width <= 50 and sheet.column_dimensions["F"].width <= 40
    assert sheet.row_dimensions[row[0].row].height >= 4 * 15  # tall enough for its lines
    short = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Ej placerad")
    assert sheet.row_dimensions[short[0].row].height is None  # one line: the default height


def test_settings_in_plain_swedish_with_a_local_time(tmp_path: Path, plan_data: dict) -> None:
    sheet = openpyxl.load_workbook(_workbook(tmp_path, plan_data))["Inställningar"]
    settings = dict(sheet.iter_rows(values_only=True))
    assert "(s)" not in " ".join(settings)  # no "Tidsgräns (s)", "Beräkningstid (s)"
    assert settings["Längsta tid för planeringen"] == "60 sekunder"
    assert settings["Planeringen tog"] == "0,4 sekunder"
    assert settings["Skapad"] == "2026-11-22 21:00"  # 20:00 UTC is 21:00 in Stockholm


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) saknas")
def test_the_printed_workbook_months_weeks_and_deviations(tmp_path: Path,
                                                          plan_data: dict) -> None:
    reader = PdfReader(_to_pdf(_workbook(tmp_path, plan_data), tmp_path))
    texts = [page.extract_text() for page in reader.pages]
    months = [t for t in texts if "Per månad 2027" in t.splitlines()[0]]
    assert len(months) >= 2
    assert MONTH_HEADER in months[0] and "Vecka " not in months[0].split(MONTH_HEADER)[0]
    for text in months[1:]:  # the weekly table: its own header, never the month header
        assert MONTH_HEADER not in text
        assert any(line.startswith("Vecka Anna Berg Olle Ek Totalt")
                   for line in text.splitlines()), text
    numbers = [int(line.split()[0]) for t in months[1:] for line in t.splitlines()
               if line.split() and line.split()[0].isdigit() and len(line.split()) == 4]
    assert numbers == list(range(1, 53))  # every week printed once, on the weekly pages

    (index,) = [n for n, t in enumerate(texts) if "Avvikelser 2027" in t.splitlines()[0]]
    printed = texts[index].split()
    for word in (LONG_REASON + " " + LONG_FIX).split():
        assert word in printed, word  # nothing cut off
    page = reader.pages[index]
    right = float(page.mediabox.right)
    positions: list[float] = []

    def visit(text: str, cm, tm, font, size) -> None:  # type: ignore[no-untyped-def]
        if text.strip():
            positions.append(cm[0] * tm[4] + cm[4])

    page.extract_text(visitor_text=visit)
    assert positions and max(positions) < right - 20  # every line starts inside the page
    widest = max(len(line) for line in texts[index].splitlines())
    assert widest < 200  # wrapped: no line runs the whole fix past the page edge


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) saknas")
def test_the_doctor_time_sheet_prints_its_header_on_every_page(tmp_path: Path,
                                                               plan_data: dict) -> None:
    def time(hours: float, patients: int, per_10: float, below: bool) -> dict:
        return {"hours_per_week": hours, "patients": patients, "per_10": per_10,
                "below_floor": below}

    plan_data["measures"] = {
        "doctor_time": {f"Enhet {n:02d}": time(1.8, 20 + n, 18 / (20 + n), n % 2 == 0)
                        for n in range(40)},
        "doctor_time_doctors": {"Anna Berg": time(30.0, 600, 0.5, True)}}
    reader = PdfReader(_to_pdf(_workbook(tmp_path, plan_data), tmp_path))
    texts = [page.extract_text() for page in reader.pages]
    pages = [t for t in texts if "Läkartid 2027" in t.splitlines()[0]]
    assert len(pages) >= 2  # 40 units, a doctor and the floor
    for text in pages:  # the header row repeated, all columns on the page (one page wide)
        assert "Enhet Läkare Vårdcentral Timmar per vecka Patienter Per 10 patienter " \
               "Under golvet" in text
    shown = "\n".join(pages)
    assert all(f"Enhet {n:02d}" in shown for n in range(40))
    assert "Anna Berg" in shown and "Golv: minst 1,0" in shown
