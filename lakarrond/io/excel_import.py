"""Read a filled import template (contracts.md §1) into validated :class:`ImportData`.

All errors are collected; if there is any, :class:`ImportFailed` lists every one of them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any  # Any: openpyxl edge: cell values of several types

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lakarrond.io import cells
from lakarrond.io.cells import CellError, is_blank, text
from lakarrond.io.import_data import (
    AbsenceRow,
    DoctorRow,
    ImportData,
    ImportFailed,
    ImportIssue,
    ImportSettings,
    PatientRow,
    UnitRow,
)
from lakarrond.io.round_time_check import round_time_issues
from lakarrond.io.schema import (
    ABSENCES,
    DOCTOR_HOURS_SETTING,
    DOCTORS,
    EXAMPLE_PREFIX,
    PATIENTS,
    SETTING_SPECS,
    SETTINGS,
    UNITS,
    SettingSpec,
    Sheet,
)
from lakarrond.today import today as todays_date
from solver.problem import PatientStatus, RhythmKind, RoundForm, UnitType, WeekParity

__all__ = ["ImportData", "ImportFailed", "ImportIssue", "read_workbook"]

_HEADER_SEARCH_ROWS = 10
SHEET_ORDER = (DOCTORS, ABSENCES, UNITS, PATIENTS, SETTINGS)


def _key(name: object) -> str:
    return " ".join(str(name).split()).casefold() if name is not None else ""


TextLimits = Mapping[tuple[str, str], int]
"""The longest text a (sheet, column) may hold, e.g. ``{("Patienter", "Namn"): 200}``."""


class _Row:
    """One data row: typed access to its cells, recording every bad cell as an issue."""

    def __init__(self, sheet: str, number: int, values: dict[str, Any],
                 issues: list[ImportIssue], limits: TextLimits | None = None) -> None:
        self.sheet = sheet
        self.number = number
        self.values = values
        self.issues = issues
        self.limits = limits or {}
        self.ok = True

    def fail(self, column: str, raw: object, reason: str) -> None:
        self.ok = False
        self.issues.append(ImportIssue(self.sheet, self.number, column, text(raw), reason))

    def raw(self, column: str) -> Any:
        return self.values.get(column)

    def get(self, column: str, parse: Callable[[Any], Any] | None = None, *,
            required: bool = False, default: Any = None) -> Any:
        raw = self.values.get(column)
        if is_blank(raw):
            if required:
                self.fail(column, raw, "värde saknas")
            return default
        if parse is None:
            value = text(raw)
            limit = self.limits.get((self.sheet, column))
            if limit is not None and len(value) > limit:
                self.fail(column, None, f"för lång text ({len(value)} tecken, högst {limit})")
                return default
            return value
        try:
            return parse(raw)
        except CellError as error:
            self.fail(column, raw, error.reason)
            return default


class _Names:
    """Unique names of one sheet, matched case-insensitively; remembers the first row."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, int]] = {}

    def add(self, row: _Row, column: str, name: str) -> bool:
        key = _key(name)
        if key in self.rows:
            row.fail(column, name, f"namnet finns redan på rad {self.rows[key][1]}")
            return False
        self.rows[key] = (name, row.number)
        return True

    def resolve(self, name: str) -> str | None:
        found = self.rows.get(_key(name))
        return found[0] if found else None


class _Reader:
    def __init__(self, limits: TextLimits | None = None, today: date | None = None) -> None:
        self.issues: list[ImportIssue] = []
        self.warnings: list[ImportIssue] = []  # taken as written, but worth a look
        self.today = today or todays_date()
        self.unusable: set[str] = set()
        self.limits = limits or {}

    # -- sheets -----------------------------------------------------------------------------

    def rows(self, workbook: Any, sheet: Sheet) -> Iterable[_Row]:
        worksheet = next(
            (workbook[name] for name in workbook.sheetnames if _key(name) == _key(sheet.name)),
            None,
        )
        if worksheet is None:
            if sheet.required:
                self.issues.append(ImportIssue(sheet.name, None, None, None, "bladet saknas"))
                self.unusable.add(sheet.name)
            return
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
        wanted = {_key(c.header): c.header for c in sheet.columns}
        positions: dict[str, int] = {}
        header_row = 0
        seen_values = False
        for number, values in enumerate(rows, start=1):
            found = {wanted[_key(v)]: i for i, v in reversed(list(enumerate(values)))
                     if isinstance(v, str) and _key(v) in wanted}
            if found:
                positions, header_row = found, number
                break
            seen_values = seen_values or any(not is_blank(v) for v in values)
            if number >= _HEADER_SEARCH_ROWS:
                break
        if not positions and not seen_values and not sheet.required:
            return  # an empty optional sheet
        missing = [c.header for c in sheet.columns if c.required and c.header not in positions]
        for header in missing:
            self.issues.append(
                ImportIssue(sheet.name, header_row or 1, header, None, "kolumnen saknas")
            )
        if missing:
            self.unusable.add(sheet.name)
            return
        for number, values in enumerate(rows, start=header_row + 1):
            first = next((v for v in values if not is_blank(v)), None)
            if first is None:
                continue
            if isinstance(first, str) and first.strip().casefold().startswith(
                EXAMPLE_PREFIX.casefold()
            ):
                continue
            picked = {h: values[i] if i < len(values) else None for h, i in positions.items()}
            if all(is_blank(v) for v in picked.values()):
                continue
            yield _Row(sheet.name, number, picked, self.issues, self.limits)

    # -- Läkare -----------------------------------------------------------------------------

    def doctors(self, workbook: Any) -> tuple[list[DoctorRow], _Names]:
        names = _Names()
        result: list[DoctorRow] = []
        for row in self.rows(workbook, DOCTORS):
            name = row.get("Namn", required=True)
            centre = row.get("Vårdcentral", required=True)
            weekdays = row.get("ÅMV-dagar", cells.parse_weekdays, default=())
            per_day = row.get("ÅMV per dag", lambda v: cells.parse_int(v, 1), default=2)
            if name and not names.add(row, "Namn", name):
                continue
            if row.ok:
                result.append(DoctorRow(row.number, name, centre, weekdays, per_day))
        return result, names

    def _reference(self, row: _Row, column: str, names: _Names, sheet: Sheet,
                   what: str) -> str | None:
        value = row.get(column, required=True)
        if value is None:
            return None
        if sheet.name in self.unusable:
            return str(value)
        resolved = names.resolve(value)
        if resolved is None:
            row.fail(column, value, f"okänd {what} (finns inte på bladet '{sheet.name}')")
        return resolved

    # -- Frånvaro ---------------------------------------------------------------------------

    def absences(self, workbook: Any, doctors: _Names) -> list[AbsenceRow]:
        result: list[AbsenceRow] = []
        for row in self.rows(workbook, ABSENCES):
            doctor = self._reference(row, "Läkare", doctors, DOCTORS, "läkare")
            start = row.get("Från", cells.parse_date, required=True)
            end = row.get("Till", cells.parse_date, required=True)
            if start and end and end < start:
                row.fail("Till", row.raw("Till"), "Till är före Från")
            reason = row.get("Orsak", default="")
            substitute = row.get("Vikarie", default="")
            phone = row.get("Telefon", cells.parse_phone, default="")
            if row.ok and doctor is not None:
                result.append(AbsenceRow(row.number, doctor, start, end, reason, substitute,
                                         phone))
        return result

    # -- Enheter ----------------------------------------------------------------------------

    def units(self, workbook: Any, doctors: _Names) -> tuple[list[UnitRow], _Names]:
        names = _Names()
        result: list[UnitRow] = []
        for row in self.rows(workbook, UNITS):
            name = row.get("Enhet", required=True)
            kind = row.get("Typ", lambda v: cells.parse_enum(v, UnitType), required=True)
            doctor = self._reference(row, "Läkare", doctors, DOCTORS, "läkare")
            nurse = row.get("Sjuksköterska", default="")
            rhythm = row.get("Rytm", lambda v: cells.parse_enum(v, RhythmKind), required=True)
            parity = row.get("Veckor", lambda v: cells.parse_enum(v, WeekParity))
            weekdays = row.get("Veckodagar", cells.parse_weekdays, required=True)
            start = row.get("Starttid", cells.parse_time)
            length = row.get("Längd (min)", lambda v: cells.parse_int(v, 1), default=120)
            form = row.get("Rondform", lambda v: cells.parse_enum(v, RoundForm),
                           default=RoundForm.PHYSICAL)
            in_round = row.get("ÅMV i rond", cells.parse_yes_no)
            per_round = row.get("ÅMV per rond", lambda v: cells.parse_int(v, 0), default=1)
            minutes = row.get("Minuter per ÅMV", cells.parse_review_minutes, default=30)
            other = row.get("Övrig tid (min)", lambda v: cells.parse_int(v, 0), default=0)
            begins = start or UnitRow.start_time
            if length and begins.hour * 60 + begins.minute + length > 24 * 60:
                row.fail("Längd (min)", row.raw("Längd (min)"),
                         f"ronden måste sluta senast 24:00 (börjar {begins:%H:%M})")
            if rhythm is RhythmKind.FORTNIGHTLY and is_blank(row.raw("Veckor")):
                row.fail("Veckor", row.raw("Veckor"), "krävs för Varannan vecka (udda eller jämna)")
            if rhythm is not None and rhythm is not RhythmKind.FORTNIGHTLY:
                parity = None
            if rhythm is not None and weekdays:
                needed = 2 if rhythm is RhythmKind.TWICE_WEEKLY else 1
                if len(weekdays) != needed:
                    days = "två veckodagar" if needed == 2 else "en veckodag"
                    row.fail("Veckodagar", row.raw("Veckodagar"), f"{rhythm.value} kräver {days}")
            if name and not names.add(row, "Enhet", name):
                continue
            if row.ok and doctor is not None:
                result.append(UnitRow(
                    row=row.number, name=name, type=kind, doctor=doctor, rhythm=rhythm,
                    weekdays=weekdays, parity=parity, nurse=nurse,
                    start_time=start or UnitRow.start_time, length_min=length, form=form,
                    reviews_in_round=in_round, reviews_per_round=per_round,
                    review_minutes=minutes, other_minutes=other,
                ))
        return result, names

    # -- Patienter --------------------------------------------------------------------------

    def _named(self, row: _Row, column: str, names: _Names, sheet: Sheet, what: str) -> str:
        """An optional reference ("" when the cell is empty), checked like a required one."""
        if is_blank(row.raw(column)):
            return ""
        return self._reference(row, column, names, sheet, what) or ""

    def patients(self, workbook: Any, units: _Names, doctors: _Names) -> list[PatientRow]:
        result: list[PatientRow] = []
        by_number: dict[str, int] = {}
        by_name: dict[tuple[str, str], int] = {}
        for row in self.rows(workbook, PATIENTS):
            name = row.get("Namn", required=True)
            parsed = row.get("Personnummer", cells.parse_personnummer)
            unit = self._reference(row, "Enhet", units, UNITS, "enhet")
            room = row.get("Rum", default="")
            admitted = row.get("Inskriven", cells.parse_date, required=True)
            last_review = row.get("Senaste ÅMV", cells.parse_date)
            status = row.get("Status", lambda v: cells.parse_enum(v, PatientStatus),
                             default=PatientStatus.ACTIVE)
            end_date = row.get("Slutdatum", cells.parse_date)
            excluded = row.get("Undantag", default="")
            palliative = row.get("Palliativ från", cells.parse_date)
            doctor = self._named(row, "Läkare", doctors, DOCTORS, "läkare")
            nurse = row.get("Sjuksköterska", default="")
            no_relatives = row.get("Bjud inte in närstående", cells.parse_yes, default=False)
            number, birth = parsed if parsed else (None, None)
            if status is not PatientStatus.ACTIVE and end_date is None and is_blank(
                row.raw("Slutdatum")
            ):
                row.fail("Slutdatum", None, f"krävs för status {status.value}")
            if end_date and admitted and end_date < admitted:
                row.fail("Slutdatum", row.raw("Slutdatum"), "Slutdatum är före Inskriven")
            if status is PatientStatus.DECEASED and end_date and end_date > self.today:
                row.fail("Slutdatum", row.raw("Slutdatum"),
                         f"dödsdatumet ligger efter dagens datum ({self.today.isoformat()}) "
                         "– status Avliden anges först när det har hänt")
            if last_review and last_review > self.today:
                self.warnings.append(ImportIssue(
                    row.sheet, row.number, "Senaste ÅMV", last_review.isoformat(),
                    f"Senaste ÅMV ligger efter dagens datum ({self.today.isoformat()}) – "
                    "inläst som det står, kontrollera datumet"))
            if number is not None:
                if number in by_number:
                    row.fail("Personnummer", row.raw("Personnummer"),
                             f"personnumret finns redan på rad {by_number[number]}")
                else:
                    by_number[number] = row.number
            elif name and unit:
                key = (_key(name), _key(unit))
                if key in by_name:
                    row.fail("Namn", name, f"samma namn och enhet finns redan på rad "
                             f"{by_name[key]} – ange personnummer för att skilja dem åt")
                else:
                    by_name[key] = row.number
            if row.ok and unit is not None:
                result.append(PatientRow(
                    row=row.number, name=name, unit=unit, admitted=admitted,
                    personnummer=number, birth_date=birth, room=room,
                    last_review=last_review, status=status, end_date=end_date,
                    excluded=excluded, palliative_from=palliative, doctor=doctor,
                    nurse=nurse, no_relatives=no_relatives,
                ))
        return result

    # -- Inställningar ----------------------------------------------------------------------

    def settings(self, workbook: Any) -> ImportSettings:
        specs = {_key(spec.name): spec for spec in SETTING_SPECS}
        values: dict[str, tuple[Any, _Row]] = {}
        seen: dict[str, int] = {}
        for row in self.rows(workbook, SETTINGS):
            name = row.get("Inställning", required=True)
            if name is None:
                continue
            spec = specs.get(_key(name))
            if spec is None:
                known = ", ".join(s.name for s in SETTING_SPECS)
                row.fail("Inställning", name, f"okänd inställning (kända: {known})")
                continue
            if spec.name in seen:
                row.fail("Inställning", name, f"inställningen finns redan på rad {seen[spec.name]}")
                continue
            seen[spec.name] = row.number
            if spec.kind == "weeks":
                value = row.get("Värde", cells.parse_weeks)
            else:
                parse = cells.parse_decimal if spec.kind == "decimal" else cells.parse_int
                value = row.get("Värde", parse)
                if value is not None and not spec.minimum <= value <= spec.maximum:
                    row.fail("Värde", row.raw("Värde"),
                             f"{spec.name} måste vara mellan {spec.minimum} och {spec.maximum}")
                    value = None
            if value is not None:
                values[spec.name] = (value, row)
        result = ImportSettings(
            year=_value(values, "Planår"),
            summer_weeks=_value(values, "Semesterveckor"),
            new_patient_days=_value(values, "Nya patienter inom (dagar)"),
            max_interval_months=_value(values, "Max intervall (månader)"),
            min_interval_months=_value(values, "Min intervall (månader)"),
            preparation_days=_value(values, "Förberedelse (dagar)"),
            doctor_hours_per_10=_value(values, DOCTOR_HOURS_SETTING),
        )
        if result.year is None:
            for spec in SETTING_SPECS:
                found = values.get(spec.name)
                if found and spec.default is not None and found[0] != _default(spec):
                    _, row = found
                    row.fail("Värde", row.raw("Värde"),
                             f"ange Planår – {spec.name} gäller ett planår")
        low, high = result.min_interval_months, result.max_interval_months
        if low is not None and high is not None and low > high:
            _, row = values["Min intervall (månader)"]
            row.fail("Värde", row.raw("Värde"), "Min intervall är större än Max intervall")
        return result


def _default(spec: SettingSpec) -> object:
    return cells.parse_weeks(spec.default) if spec.kind == "weeks" else spec.default


def _value(values: dict[str, Any], name: str) -> Any:
    found = values.get(name)
    return found[0] if found else None


def read_workbook(path: Path, limits: TextLimits | None = None,
                  today: date | None = None) -> ImportData:
    """Read and check a filled template; raise :class:`ImportFailed` listing every error.
    ``limits`` gives the longest text each (sheet, column) may hold (the store's column
    lengths); a longer one is an error naming its row and column. ``today`` (default
    :func:`lakarrond.today.today`): a death after it is an error, a last ÅMV after it a
    warning (``ImportData.warnings``)."""
    path = Path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        reason = (f"filen finns inte: {path}" if isinstance(error, FileNotFoundError)
                  else f"filen kan inte läsas som en Excel-arbetsbok (.xlsx): {path.name}")
        raise ImportFailed([ImportIssue("", None, None, None, reason)]) from error
    try:
        reader = _Reader(limits, today)
        doctors, doctor_names = reader.doctors(workbook)
        units, unit_names = reader.units(workbook, doctor_names)
        absences = reader.absences(workbook, doctor_names)
        patients = reader.patients(workbook, unit_names, doctor_names)
        settings = reader.settings(workbook)
        reader.warnings.extend(round_time_issues(units))
    finally:
        workbook.close()
    if reader.issues:
        order = {sheet.name: index for index, sheet in enumerate(SHEET_ORDER)}
        issues = sorted(reader.issues, key=lambda i: (order.get(i.sheet, -1), i.row or 0))
        raise ImportFailed(issues)
    return ImportData(
        doctors=tuple(doctors),
        absences=tuple(absences),
        units=tuple(units),
        patients=tuple(patients),
        settings=settings,
        warnings=tuple(reader.warnings),
    )
