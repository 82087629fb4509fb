"""Reading a filled template: values, formats, and every rule of contracts.md §1."""

from __future__ import annotations

import copy
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from io_fixtures import DOCTORS, PATIENTS, UNITS, filled_workbook
from openpyxl.styles import Font, PatternFill

from lakarrond.io.excel_import import ImportFailed, ImportIssue, read_workbook
from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, WeekParity


def test_filled_template_reads_back(filled: Path) -> None:
    data = read_workbook(filled)
    anna, olle = data.doctors
    assert (anna.name, anna.health_centre, anna.review_weekdays, anna.reviews_per_day) == (
        "Anna Berg", "VC Centrum", (2,), 2)
    assert (olle.review_weekdays, olle.reviews_per_day) == ((1, 3), 2)
    assert anna.row == 3

    (absence,) = data.absences
    assert (absence.doctor, absence.start, absence.end) == (
        "Anna Berg", date(2027, 7, 5), date(2027, 8, 6))
    assert (absence.reason, absence.substitute) == ("semester", "Per Holm")

    backliden, lugnet, korttids, lss = data.units
    assert backliden.type is UnitType.NURSING_HOME
    assert backliden.rhythm is RhythmKind.FORTNIGHTLY
    assert backliden.parity is WeekParity.ODD
    assert backliden.weekdays == (1,)
    assert backliden.start_time == time(9, 0)
    assert backliden.reviews_in_round is True
    assert backliden.reviews_per_round == 2
    assert backliden.nurse == "Eva Lund"
    assert lugnet.type is UnitType.NURSING_HOME  # "säbo" matched case-insensitively
    assert lugnet.doctor == "Anna Berg"  # "anna berg" resolved to the sheet's spelling
    assert lugnet.form is RoundForm.PHONE
    assert lugnet.start_time == time(13, 30)
    assert lugnet.length_min == 120 and lugnet.reviews_per_round == 1
    assert lugnet.reviews_in_round is None
    assert korttids.rhythm is RhythmKind.TWICE_WEEKLY and korttids.weekdays == (0, 4)
    assert korttids.parity is None
    assert (lss.type, lss.reviews_in_round, lss.reviews_per_round, lss.length_min) == (
        UnitType.LSS, False, 0, 60)

    karl, greta, sven, lisa = data.patients
    assert karl.personnummer == "19121212-1212"
    assert karl.birth_date == date(1912, 12, 12)
    assert (karl.admitted, karl.last_review, karl.room) == (
        date(2024, 3, 1), date(2026, 2, 10), "12")
    assert greta.personnummer == "19701063-2391"  # samordningsnummer, without dash
    assert greta.birth_date == date(1970, 10, 3)
    assert greta.unit == "Lugnet"
    assert greta.admitted == date(2025, 11, 20)
    assert (sven.status, sven.end_date) == (PatientStatus.DECEASED, date(2026, 12, 1))
    assert sven.personnummer is None
    assert lisa.excluded == "växelvård" and lisa.status is PatientStatus.ACTIVE

    settings = data.settings
    assert settings.year == 2027
    assert settings.summer_weeks == (28, 29, 30, 31, 32)
    assert settings.preparation_days == 10
    assert settings.new_patient_days == 28


def _plain_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def _minimal_sheets() -> dict[str, list[list[object]]]:
    return {
        " läkare ": [["Extra", " vårdcentral", "NAMN"], ["x", "VC", "Anna Berg"]],
        "ENHETER": [["veckodagar", "rytm", "läkare", "typ", "enhet", "Anteckning"],
                    ["Tisdag", "varje vecka", "Anna Berg", "SÄBO", "Bäckliden", "fritt"]],
        "Patienter": [["Inskriven", "Enhet", "namn", "Senaste ÅMV"],
                      ["2024-01-02", "Bäckliden", "Karl", date(2026, 3, 4)],
                      [date(2023, 5, 6), "Bäckliden", "Stina", "2026-04-05"]],
    }


def test_headers_any_case_and_order_extra_columns_ignored(tmp_path: Path) -> None:
    data = read_workbook(_plain_workbook(tmp_path / "a.xlsx", _minimal_sheets()))
    assert data.doctors[0].name == "Anna Berg" and data.doctors[0].health_centre == "VC"
    assert data.units[0].weekdays == (1,) and data.units[0].rhythm is RhythmKind.WEEKLY
    assert data.absences == ()
    karl, stina = data.patients
    assert (karl.admitted, karl.last_review) == (date(2024, 1, 2), date(2026, 3, 4))
    assert (stina.admitted, stina.last_review) == (date(2023, 5, 6), date(2026, 4, 5))


def test_example_and_styled_empty_rows_are_ignored(tmp_path: Path, filled: Path) -> None:
    workbook = openpyxl.load_workbook(filled)
    sheet = workbook["Patienter"]
    sheet.cell(row=7, column=1, value="exempel: ännu ett exempel")
    sheet.cell(row=7, column=5, value="inte ett datum")
    for row in range(8, 300):  # styled but empty rows, with a gap and trailing
        for column in range(1, 10):
            cell = sheet.cell(row=row, column=column)
            cell.fill = PatternFill("solid", fgColor="FFFF00")
            cell.font = Font(bold=True)
    sheet.cell(row=150, column=4, value="   ")
    workbook.save(filled)
    data = read_workbook(filled)
    assert [p.name for p in data.patients] == ["Karl Nilsson", "Greta Ek", "Sven Ås",
                                               "Lisa Berg"]


def test_missing_sheet_and_column(tmp_path: Path) -> None:
    sheets = _minimal_sheets()
    del sheets["ENHETER"]
    sheets["Patienter"] = [["Namn", "Enhet"], ["Karl", "Bäckliden"]]
    with pytest.raises(ImportFailed) as failed:
        read_workbook(_plain_workbook(tmp_path / "b.xlsx", sheets))
    texts = [str(i) for i in failed.value.issues]
    assert "Blad 'Enheter': bladet saknas" in texts
    assert "Blad 'Patienter', rad 1, kolumn 'Inskriven': kolumnen saknas" in texts
    assert len(texts) == 2  # no follow-up errors about the unknown unit


def test_empty_optional_sheets_are_fine(tmp_path: Path) -> None:
    sheets = _minimal_sheets()
    sheets["Frånvaro"] = []
    sheets["Inställningar"] = [[None], [None, None]]
    data = read_workbook(_plain_workbook(tmp_path / "c.xlsx", sheets))
    assert data.absences == () and data.settings.year is None
    sheets["Frånvaro"] = [["Doktor", "Start"], ["Anna Berg", "2027-01-01"]]
    with pytest.raises(ImportFailed) as failed:
        read_workbook(_plain_workbook(tmp_path / "d.xlsx", sheets))
    assert {i.column for i in failed.value.issues} == {"Läkare", "Från", "Till"}


def test_not_an_excel_file(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("hej")
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    assert "kan inte läsas" in str(failed.value)


def _bad_workbook(path: Path) -> Path:
    doctors = [
        *copy.deepcopy(DOCTORS),
        {"Namn": "anna berg", "Vårdcentral": "VC Centrum"},            # row 5 duplicate
        {"Namn": "Ulla Ny", "ÅMV-dagar": "lördag", "ÅMV per dag": 0},  # row 6
    ]
    absences = [
        {"Läkare": "Okänd Doktor", "Från": "2027-02-30", "Till": date(2027, 1, 1)},  # row 3
        {"Läkare": "Anna Berg", "Från": date(2027, 3, 10), "Till": date(2027, 3, 1)},  # row 4
    ]
    units = [
        *copy.deepcopy(UNITS),
        {"Enhet": "Bäckliden", "Typ": "Sjukhus", "Läkare": "Anna Berg",          # row 7
         "Rytm": "Varannan vecka", "Veckodagar": "tis"},
        {"Enhet": "Ny enhet", "Typ": "SÄBO", "Läkare": "Anna Berg",              # row 8
         "Rytm": "Två gånger i veckan", "Veckodagar": "tisdag", "Starttid": "25:00",
         "Längd (min)": "lång", "ÅMV per rond": -1, "Rondform": "Video"},
    ]
    patients = [
        *copy.deepcopy(PATIENTS),
        {"Namn": "Per Fel", "Personnummer": "19400101-1235", "Enhet": "Bäckliden",  # row 7
         "Inskriven": "2024-01-01"},
        {"Namn": "Dubbel", "Personnummer": "191212121212", "Enhet": "Finns ej",     # row 8
         "Inskriven": "igår", "Status": "Utskriven"},
        {"Enhet": "Bäckliden", "Inskriven": date(2024, 1, 1), "Status": "Sover",    # row 9
         "Personnummer": "12345"},
    ]
    filled_workbook(path, doctors=doctors, absences=absences, units=units, patients=patients)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Inställningar"]
    sheet.cell(row=3, column=2, value="tjugotjugosju")  # Planår
    sheet.cell(row=9, column=1, value="Okänd inställning")
    sheet.cell(row=9, column=2, value=5)
    workbook.save(path)
    return path


EXPECTED = [
    ("Läkare", 5, "Namn", "anna berg", "namnet finns redan på rad 3"),
    ("Läkare", 6, "Vårdcentral", "", "värde saknas"),
    ("Läkare", 6, "ÅMV-dagar", "lördag", "endast måndag–fredag är tillåtna"),
    ("Läkare", 6, "ÅMV per dag", "0", "måste vara minst 1"),
    ("Frånvaro", 3, "Läkare", "Okänd Doktor",
     "okänd läkare (finns inte på bladet 'Läkare')"),
    ("Frånvaro", 3, "Från", "2027-02-30", "datumet finns inte"),
    ("Frånvaro", 4, "Till", "2027-03-01", "Till är före Från"),
    ("Enheter", 7, "Typ", "Sjukhus",
     "ogiltigt värde (tillåtna: SÄBO · Korttidsboende · Ordinärt boende · LSS)"),
    ("Enheter", 7, "Veckor", "", "krävs för Varannan vecka (udda eller jämna)"),
    ("Enheter", 7, "Enhet", "Bäckliden", "namnet finns redan på rad 3"),
    ("Enheter", 8, "Starttid", "25:00", "inte en tid (TT:MM)"),
    ("Enheter", 8, "Längd (min)", "lång", "inte ett heltal"),
    ("Enheter", 8, "Rondform", "Video", "ogiltigt värde (tillåtna: Fysisk · Telefon)"),
    ("Enheter", 8, "ÅMV per rond", "-1", "måste vara minst 0"),
    ("Enheter", 8, "Veckodagar", "tisdag", "Två gånger i veckan kräver två veckodagar"),
    ("Patienter", 7, "Personnummer", "19400101-1235", "ogiltig kontrollsiffra"),
    ("Patienter", 8, "Enhet", "Finns ej", "okänd enhet (finns inte på bladet 'Enheter')"),
    ("Patienter", 8, "Inskriven", "igår", "inte ett datum (ÅÅÅÅ-MM-DD)"),
    ("Patienter", 8, "Slutdatum", "", "krävs för status Utskriven"),
    ("Patienter", 8, "Personnummer", "191212121212", "personnumret finns redan på rad 3"),
    ("Patienter", 9, "Namn", "", "värde saknas"),
    ("Patienter", 9, "Personnummer", "12345",
     "ogiltigt format (ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN)"),
    ("Patienter", 9, "Status", "Sover",
     "ogiltigt värde (tillåtna: Aktiv · Utskriven · Avliden)"),
    ("Inställningar", 3, "Värde", "tjugotjugosju", "inte ett heltal"),
    ("Inställningar", 4, "Värde", "28-32", "ange Planår – Semesterveckor gäller ett planår"),
    ("Inställningar", 8, "Värde", "10",
     "ange Planår – Förberedelse (dagar) gäller ett planår"),
    ("Inställningar", 9, "Inställning", "Okänd inställning",
     "okänd inställning (kända: Planår, Semesterveckor, Nya patienter inom (dagar), "
     "Max intervall (månader), Min intervall (månader), Förberedelse (dagar), "
     "Läkartid minst (timmar per vecka per 10 patienter))"),
]


def test_bad_workbook_lists_every_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        read_workbook(_bad_workbook(tmp_path / "fel.xlsx"))
    found = {(i.sheet, i.row, i.column, i.value, i.reason) for i in failed.value.issues}
    assert found == set(EXPECTED)
    assert len(failed.value.issues) == len(EXPECTED)
    sheets = [i.sheet for i in failed.value.issues]
    assert sheets == sorted(sheets, key=["Läkare", "Frånvaro", "Enheter", "Patienter",
                                         "Inställningar"].index)
    assert 'Blad \'Patienter\', rad 7, kolumn \'Personnummer\': ogiltig kontrollsiffra i ' \
           '"19400101-1235"' in str(failed.value)


def test_issue_text_format() -> None:
    issue = ImportIssue("Patienter", 17, "Personnummer", "19400101-1235",
                        "ogiltig kontrollsiffra")
    assert str(issue) == ("Blad 'Patienter', rad 17, kolumn 'Personnummer': ogiltig "
                          'kontrollsiffra i "19400101-1235"')
    assert str(ImportIssue("Enheter", 4, "Typ", "", "värde saknas")) == (
        "Blad 'Enheter', rad 4, kolumn 'Typ': värde saknas")


def test_same_name_and_unit_without_personnummer_is_ambiguous(tmp_path: Path) -> None:
    patients = [
        {"Namn": "Karl", "Enhet": "Bäckliden", "Inskriven": "2024-01-01"},
        {"Namn": "karl", "Enhet": "Bäckliden", "Inskriven": "2024-02-01"},
        {"Namn": "Karl", "Enhet": "Lugnet", "Inskriven": "2024-02-01"},
        {"Namn": "Karl", "Enhet": "Bäckliden", "Inskriven": "2024-02-01",
         "Personnummer": "121212-1212"},
    ]
    with pytest.raises(ImportFailed) as failed:
        read_workbook(filled_workbook(tmp_path / "d.xlsx", patients=patients))
    (issue,) = failed.value.issues
    assert (issue.row, issue.column) == (4, "Namn")
    assert "rad 3" in issue.reason


def test_end_date_before_admission_and_interval_order(tmp_path: Path) -> None:
    patients = [{"Namn": "Karl", "Enhet": "Bäckliden", "Inskriven": "2024-01-01",
                 "Status": "Utskriven", "Slutdatum": "2023-12-31"}]
    path = filled_workbook(tmp_path / "e.xlsx", patients=patients)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Inställningar"]
    sheet.cell(row=6, column=2, value=3)   # Max intervall (månader)
    sheet.cell(row=7, column=2, value=9)   # Min intervall (månader)
    workbook.save(path)
    with pytest.raises(ImportFailed) as failed:
        read_workbook(path)
    reasons = sorted(i.reason for i in failed.value.issues)
    assert reasons == ["Min intervall är större än Max intervall", "Slutdatum är före Inskriven"]


def _with_floor(path: Path, value: object) -> Path:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Inställningar"]
    row = next(r for r in range(3, sheet.max_row + 1)
               if str(sheet.cell(row=r, column=1).value).startswith("Läkartid minst"))
    sheet.cell(row=row, column=2).value = value
    workbook.save(path)
    return path


def test_the_doctor_time_floor_is_read_with_a_decimal_comma(filled: Path) -> None:
    assert read_workbook(filled).settings.doctor_hours_per_10 == 1.0  # the default row
    assert read_workbook(_with_floor(filled, "1,5")).settings.doctor_hours_per_10 == 1.5


@pytest.mark.parametrize(("value", "reason"), [
    ("många", "inte ett tal"),
    (11, "måste vara mellan 0 och 10"),
])
def test_a_bad_doctor_time_floor_is_refused(filled: Path, value: object, reason: str) -> None:
    with pytest.raises(ImportFailed) as failed:
        read_workbook(_with_floor(filled, value))
    assert any(i.sheet == "Inställningar" and reason in i.reason for i in failed.value.issues)
