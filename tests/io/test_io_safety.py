"""Hostile text and private files: user text is never a formula in any workbook we write or
read, every written file is private (0600) and atomic, temp files of a killed export go."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from io_fixtures import DOCTORS, UNITS, as_document, filled_workbook

from lakarrond.errors import BadInput, UserError
from lakarrond.io import files
from lakarrond.io.excel_export import write_plan_xlsx
from lakarrond.io.excel_import import read_workbook
from lakarrond.io.template import write_template
from lakarrond.io.xlsx import put
from lakarrond.palette import DOCTOR_COLOURS, doctor_colours

HOSTILE = "=cmd|' /C calc'!A0"
POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def _formulas(path: Path) -> list[str]:
    """Every worksheet XML part that holds a formula element."""
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [n for n in parts if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]


def test_user_text_is_exported_as_text_never_a_formula(tmp_path: Path, plan_data: dict) -> None:
    doc = plan_data
    doc["appointments"][0].update(patient=HOSTILE, room="=1+1", unit="@SUM(A1)",
                                  doctor="+46 700", status="#N/A")
    doc["unplaced"] = [{"patient": "=2*3", "unit": "-Enhet", "reason": "=A1", "rule": "R1"}]
    doc["violations"] = [{"rule": "R8", "patient": "=HYPERLINK(\"x\")", "unit": "U",
                          "message": "=1", "fix": "=2"}]
    doc["rounds"][0].update(substitute="=3+3")
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(as_document(doc), path)
    assert _formulas(path) == []
    workbook = openpyxl.load_workbook(path)
    texts = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in "=@+-#":
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    texts[cell.value] = sheet.title
    assert texts[HOSTILE] == "Årsplan" and texts["=1+1"] == "Årsplan"
    assert texts["#N/A"] == "Årsplan" and texts["@SUM(A1)"] in ("Årsplan", "Per månad")
    assert texts["=A1"] == "Avvikelser" and texts["=HYPERLINK(\"x\")"] == "Avvikelser"
    assert texts["=3+3"] == "Rondschema"


def test_put_stores_text_as_text_and_drops_control_characters() -> None:
    sheet = openpyxl.Workbook().active
    assert put(sheet, 1, 1, "=1+1").data_type == "s"
    assert put(sheet, 1, 2, "a\x07b").value == "ab"
    assert put(sheet, 1, 3, 5).data_type == "n"


def test_template_has_no_formulas_and_formula_like_text_imports_as_text(tmp_path: Path) -> None:
    template = tmp_path / "mall.xlsx"
    write_template(template)
    assert _formulas(template) == []
    path = filled_workbook(tmp_path / "ifylld.xlsx", doctors=DOCTORS, units=UNITS, patients=[
        {"Namn": "x", "Enhet": "Bäckliden", "Inskriven": "2024-03-01"},
    ])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Patienter"]
    put(sheet, 3, 1, HOSTILE)  # as Excel stores it in the template's text-formatted column
    put(sheet, 3, 4, "=A1")
    workbook.save(path)
    data = read_workbook(path)
    (patient,) = data.patients
    assert patient.name == HOSTILE and patient.room == "=A1"


def test_every_sheet_prints_landscape_one_page_wide(tmp_path: Path, plan_data: dict) -> None:
    path = tmp_path / "plan.xlsx"
    plan_data["units"] = {"Bäckliden": {"type": "SÄBO", "doctor": "Anna Berg",
                                        "health_centre": "Vårdcentralen Centrum & Norr"}}
    write_plan_xlsx(as_document(plan_data), path)
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.worksheets) == 7  # issue 18: Läkartid
    for sheet in workbook.worksheets:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        if sheet.title != "Per månad":  # there: the weekly table's header (its own page)
            assert sheet.print_title_rows == "$1:$1"
        assert sheet.print_area
        assert sheet.oddHeader.left.text == "Vårdcentralen Centrum && Norr"
        assert sheet.oddHeader.center.text == f"{sheet.title} 2027"
        assert sheet.oddFooter.right.text == "Sida &P av &N"


def test_without_a_known_organisation_the_header_says_lakarrond(tmp_path: Path,
                                                                plan_doc: dict) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan_doc, path)
    assert openpyxl.load_workbook(path)["Årsplan"].oddHeader.left.text == "Läkarrond"


def test_chart_has_one_coloured_series_per_doctor(tmp_path: Path, plan_doc: dict) -> None:
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan_doc, path)
    (chart,) = openpyxl.load_workbook(path)["Per månad"]._charts
    fills = [str(s.graphicalProperties.solidFill.srgbClr) for s in chart.series]
    assert fills == [DOCTOR_COLOURS[0], DOCTOR_COLOURS[1]]  # Anna Berg, Olle Ek
    assert chart.grouping == "stacked"


def test_palette_is_distinct_for_up_to_ten_doctors() -> None:
    assert len(set(DOCTOR_COLOURS)) == len(DOCTOR_COLOURS) >= 8
    colours = doctor_colours(f"Läkare {i}" for i in range(8))
    assert len(set(colours.values())) == 8
    assert doctor_colours(["B", "A"]) == {"A": DOCTOR_COLOURS[0], "B": DOCTOR_COLOURS[1]}


@POSIX_ONLY
def test_written_files_are_private_under_a_lax_umask(tmp_path: Path, plan_doc: dict) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "ny mapp" / "plan.xlsx"
        write_plan_xlsx(plan_doc, target)
        write_template(tmp_path / "mall.xlsx")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "mall.xlsx").stat().st_mode & 0o777 == 0o600


def test_a_full_disk_is_a_swedish_error_and_changes_nothing(tmp_path: Path,
                                                            monkeypatch) -> None:
    target = tmp_path / "plan.json"
    target.write_text("gammal")

    def full(path: Path) -> None:  # the write boundary: fsync reports the full disk
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_fsync", full)
    with pytest.raises(UserError, match="Disken är full") as caught:
        files.atomic_write(target, lambda tmp: tmp.write_text("ny"))
    assert "No space" not in caught.value.message
    assert target.read_text() == "gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_a_locked_target_is_a_swedish_error(tmp_path: Path, monkeypatch) -> None:
    # POSIX cannot lock a file against rename; Windows can (Excel has it open): simulate
    # the PermissionError os.replace raises there.
    def locked(source: object, target: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(files.os, "replace", locked)
    with pytest.raises(UserError, match="öppen i ett annat program"):
        files.atomic_write(tmp_path / "plan.xlsx", lambda tmp: tmp.write_text("x"))
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_bad_input_when_not_to_be_made(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="Mappen"):
        files.atomic_write(tmp_path / "saknas" / "x.json", lambda t: t.write_text("{}"),
                           make_folder=False)


KILLED_EXPORT = """
import sys, time
from pathlib import Path
from lakarrond.io.files import atomic_write

def slow(tmp):
    tmp.write_text("19121212-1212")
    print(tmp, flush=True)
    time.sleep(60)

atomic_write(Path(sys.argv[1]), slow)
"""


def test_temp_files_of_a_killed_export_are_removed_by_the_next(tmp_path: Path) -> None:
    target = tmp_path / "plan.xlsx"
    child = subprocess.Popen([sys.executable, "-c", KILLED_EXPORT, str(target)],
                             stdout=subprocess.PIPE, text=True)
    try:
        left = Path(child.stdout.readline().strip())
        assert left.exists() and left.name.startswith(files.TEMP_PREFIX)
        assert files.remove_stale_temp_files(tmp_path) == []  # its writer is still running
    finally:
        child.kill()
        child.wait()
    assert left.exists()  # killed: the temp file (with a personnummer) is left behind
    files.atomic_write(target, lambda tmp: tmp.write_text("ny"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_only_our_temp_files_are_touched(tmp_path: Path) -> None:
    other = tmp_path / ".plan-abc.xlsx"
    other.write_text("inte vår")
    old = tmp_path / f"{files.TEMP_PREFIX}annandator-1-x.xlsx"
    old.write_text("gammal")
    os.utime(old, (0, 0))  # from another machine, days old
    fresh = tmp_path / f"{files.TEMP_PREFIX}annandator-1-y.xlsx"
    fresh.write_text("pågår kanske")
    assert files.remove_stale_temp_files(tmp_path) == [old]
    assert other.exists() and fresh.exists()
