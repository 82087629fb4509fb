"""Arkiv → Exportera (issue 14.7): the choices (format, health centre, doctor, unit, period,
personnummer) reach the file and the audit row; without personnummer by default, "Med
personnummer" really puts them in the file (and on the PDF)."""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from lakarrond.store import models as m
from lakarrond.ui.context import ALL
from lakarrond.ui.dialogs.common import to_qdate
from lakarrond.ui.dialogs.export import ExportDialog, ExportSpec, suggested_name

TIMEOUT_MS = 60_000


@pytest.fixture
def planned(qtbot, window, ui_db):  # type: ignore[no-untyped-def]
    """The small store plus VC Norr (Olle Ek, Norrgården, two patients), planned."""
    with ui_db.begin() as s:
        centre = m.HealthCentre(name="VC Norr")
        olle = m.Doctor(name="Olle Ek", health_centre=centre, review_weekdays="1",
                        reviews_per_day=2)
        unit = m.Unit(name="Norrgården", type="SÄBO", doctor=olle, rhythm_kind="Varje vecka",
                      weekdays="3", start_time=time(10, 0), length_min=120, form="Fysisk",
                      reviews_per_round=2)
        s.add_all([centre, olle, unit])
        for name, pnr in (("Nora Nord", "19400303-0307"), ("Nils Nord", None)):
            s.add(m.Patient(name=name, personnummer=pnr, unit=unit, room="2",
                            admitted=date(2024, 1, 1), last_review=date(2026, 5, 5)))
    window.reload(ALL)
    with qtbot.waitSignal(window.plan.plan_finished, timeout=TIMEOUT_MS):
        window.plan.start(time_limit=5.0, show_dialog=False)
    return window


def _export(qtbot, window, fill, action=None):  # type: ignore[no-untyped-def]
    window.ctx.exec_dialog = fill
    with qtbot.waitSignal(window.ctx.jobs.finished, timeout=TIMEOUT_MS) as blocker:
        (action or window.export_action).trigger()
    return Path(blocker.args[1])


def _audit(db, action="export") -> dict:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return s.scalars(select(m.AuditLog).where(m.AuditLog.action == action)
                         .order_by(m.AuditLog.id.desc())).first().after


def _items(combo) -> list[str]:  # type: ignore[no-untyped-def]
    return [combo.itemText(i) for i in range(combo.count())]


def test_the_choices_reach_the_file_and_the_audit_row(qtbot, planned, ui_db, tmp_path):
    seen: dict[str, object] = {}

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, ExportDialog)
        assert dialog.suffix() == ".xlsx" and dialog.without_numbers.isChecked()
        assert dialog.warning.isHidden() and not dialog.names.isEnabled()
        assert dialog.path.text().endswith("arsplan-2027.xlsx")
        assert _items(dialog.health_centre) == ["Alla vårdcentraler", "VC Norr",
                                                "Vårdcentralen Test"]
        assert _items(dialog.doctor) == ["Alla läkare", "Anna Berg", "Olle Ek"]
        dialog.health_centre.setCurrentText("VC Norr")
        seen["doctors"] = _items(dialog.doctor)
        seen["units"] = _items(dialog.unit)
        dialog.with_numbers.setChecked(True)
        seen["warning"] = not dialog.warning.isHidden()
        dialog.format.setCurrentIndex(dialog.format.findData(".json"))
        seen["name"] = Path(dialog.path.text()).name
        dialog.path.setText(str(tmp_path / "norr"))  # the suffix follows the format
        dialog.path.textEdited.emit(dialog.path.text())
        return True

    out = _export(qtbot, planned, fill)
    assert seen == {"doctors": ["Alla läkare", "Olle Ek"],
                    "units": ["Alla enheter", "Norrgården"], "warning": True,
                    "name": "arsplan-2027-vc-norr-med-personnummer.json"}
    assert out == tmp_path / "norr.json"
    rows = json.loads(out.read_text(encoding="utf-8"))["appointments"]
    assert sorted(a["patient"] for a in rows) == ["Nils Nord", "Nora Nord"]
    assert "19400303-0307" in {a["personnummer"] for a in rows}
    after = _audit(ui_db)
    assert (after["format"], after["health_centre"], after["personnummer"]) == (
        "json", "VC Norr", True)
    assert "med personnummer" in planned.statusBar().currentMessage()


def test_without_personnummer_by_default_one_unit_and_a_period(qtbot, planned, ui_db,
                                                               tmp_path):
    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.health_centre.setCurrentText("Vårdcentralen Test")
        dialog.unit.setCurrentText("Bäckliden")
        dialog.whole_year.setChecked(False)
        dialog.date_from.setDate(to_qdate(date(2027, 3, 1)))
        dialog.date_to.setDate(to_qdate(date(2027, 6, 30)))
        assert Path(dialog.path.text()).name == (
            "arsplan-2027-vårdcentralen-test-bäckliden-2027-03-01-2027-06-30.xlsx")
        dialog.path.setText(str(tmp_path / "backliden.xlsx"))
        return True

    out = _export(qtbot, planned, fill)
    rows = list(openpyxl.load_workbook(out)["Årsplan"].iter_rows(values_only=True))
    assert "Personnummer" not in rows[0]
    unit, day = rows[0].index("Enhet"), rows[0].index("Datum")
    assert rows[1:] and all(r[unit] == "Bäckliden" for r in rows[1:])
    assert all(date(2027, 3, 1) <= r[day].date() <= date(2027, 6, 30) for r in rows[1:])
    text = out.read_bytes()
    assert b"19380412-1238" not in text
    after = _audit(ui_db)
    assert (after["unit"], after["from"], after["to"], after["personnummer"]) == (
        "Bäckliden", "2027-03-01", "2027-06-30", False)


def test_a_round_schedule_with_personnummer_prints_them(qtbot, planned, ui_db, tmp_path):
    errors: list[str] = []

    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.format.setCurrentIndex(dialog.format.findData(".pdf"))
        dialog.accept()  # a round schedule is one doctor's
        errors.append(dialog.errors.text())
        dialog.doctor.setCurrentText("Anna Berg")
        dialog.with_numbers.setChecked(True)
        assert Path(dialog.path.text()).name == (
            "rondschema-2027-anna-berg-med-personnummer.pdf")
        dialog.path.setText(str(tmp_path / "anna.pdf"))
        dialog.accept()
        return dialog.result() == 1

    out = _export(qtbot, planned, fill)
    assert "välj en" in errors[0]
    text = " ".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "19380412-1238" in text  # "Med personnummer" really prints them
    assert _audit(ui_db, "print")["numbers"] == "full"


def test_a_calendar_never_has_personnummer_names_when_asked(qtbot, planned, ui_db, tmp_path):
    def fill(dialog) -> bool:  # type: ignore[no-untyped-def]
        assert dialog.suffix() == ".ics"
        assert not dialog.with_numbers.isEnabled() and dialog.names.isEnabled()
        dialog.names.setChecked(True)
        dialog.doctor.setCurrentText("Olle Ek")
        dialog.path.setText(str(tmp_path / "olle.ics"))
        return True

    out = _export(qtbot, planned, fill, planned.export_ics_action)
    raw = out.read_text(encoding="utf-8").replace("\r\n ", "")
    assert "Nora Nord" in raw and "10:00–10:30" in raw and "19400303-0307" not in raw
    assert "Anna Berg" not in raw
    after = _audit(ui_db)
    assert (after["format"], after["doctor"], after["names"], after["personnummer"]) == (
        "ics", "Olle Ek", True, False)
    asked: list[str] = []
    planned.ctx.confirm = lambda question, *a: asked.append(question) or False
    assert planned.files.export_dialog(".ics") is None  # the file is there: not replaced
    assert asked == ["olle.ics finns redan. Vill du ersätta den?"]


def test_export_needs_a_plan(window):
    window.export_action.trigger()
    box = window.ctx.last_message
    assert box is not None and "ingen plan för 2027" in box.text()
    box.close()
    assert window.export_action.shortcut().toString() == "Ctrl+S"


def test_suggested_names():
    spec = ExportSpec(".ics", Path(), doctor="Anna Berg", include_personnummer=True)
    assert suggested_name(2027, spec) == "kalender-2027-anna-berg.ics"
    spec = ExportSpec(".xlsx", Path(), health_centre='VC "Norr"/Söder', date_from=date(2027, 2, 1))
    assert suggested_name(2027, spec) == "arsplan-2027-vc-norrsöder-2027-02-01-2027-12-31.xlsx"
