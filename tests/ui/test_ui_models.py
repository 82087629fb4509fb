"""Every Qt model of the app passes pytest-qt's model tester."""

from __future__ import annotations

from datetime import date

from lakarrond.causes import group_by_cause
from lakarrond.document import AnnualReview, RoundEntry, ViolationEntry
from lakarrond.services import doctors as doctor_service
from lakarrond.services import patients as patient_service
from lakarrond.services import units as unit_service
from lakarrond.services import visits as visit_service
from lakarrond.ui.dialogs.plan import AllowedDateModel
from lakarrond.ui.dialogs.unit import PreviewModel
from lakarrond.ui.models.causes import CauseTreeModel
from lakarrond.ui.models.store_models import (
    AbsenceModel,
    DoctorModel,
    PatientModel,
    RoundModel,
    VisitModel,
)
from lakarrond.ui.models.table import SearchFilterProxy
from lakarrond.ui.models.year_grid import YearGridModel, year_weeks
from solver.result import FixAction

APPT = AnnualReview(date=date(2027, 2, 2), doctor="Anna Berg", unit="Bäckliden",
                    patient="Karl Nilsson", personnummer="19380412-1238",
                    preparation=date(2027, 1, 19), status="Låst", patient_id=1, visit_id=1,
                    moved_from=date(2027, 3, 2))


def test_store_models(qtmodeltester, ui_db):
    patients = PatientModel()
    patients.set_rows(patient_service.list_patients(ui_db))
    qtmodeltester.check(patients)
    assert patients.rowCount() == 8
    units = unit_service.list_units(ui_db)
    from lakarrond.ui.models.store_models import UnitModel

    unit_model = UnitModel()
    unit_model.set_rows(units)
    qtmodeltester.check(unit_model)
    doctors = DoctorModel()
    doctors.set_rows(doctor_service.list_doctors(ui_db))
    qtmodeltester.check(doctors)
    absences = AbsenceModel()
    absences.set_rows(doctor_service.list_absences(ui_db))
    qtmodeltester.check(absences)
    proxy = SearchFilterProxy()
    proxy.setSourceModel(patients)
    proxy.set_search("karl")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1


def test_personnummer_is_masked_in_the_table(ui_db):
    model = PatientModel()
    model.set_rows(patient_service.list_patients(ui_db))
    texts = {model.index(r, 1).data() for r in range(model.rowCount())}
    assert "19380412-****" in texts
    assert not any(t and t.endswith("1238") for t in texts)


def test_plan_models(qtmodeltester, ui_db):
    visits = VisitModel()
    visits.set_rows([APPT])
    qtmodeltester.check(visits)
    causes = CauseTreeModel()
    causes.set_causes(group_by_cause([
        ViolationEntry("R8", "Karl", "Bäckliden", "för sent", "höj ÅMV per rond till 2",
                       patient_id=1, cause="capacity:unit:Bäckliden",
                       action=FixAction("raise_reviews_per_round", unit="Bäckliden",
                                        value=2)),
        ViolationEntry("R8", "Greta", "Bäckliden", "för sent", "höj ÅMV per rond till 2",
                       patient_id=2, cause="capacity:unit:Bäckliden"),
        ViolationEntry("R4", "Olof", "Tallen", "frånvaro", "lägg till en vikarie",
                       patient_id=3, cause="absence:Anna Berg:2027-03-01")]))
    qtmodeltester.check(causes)
    assert causes.rowCount() == 2  # two causes, not three lines
    first = causes.index(0, 0)
    assert causes.rowCount(first) == 2 and causes.index(0, 2).data() == "2 patienter"
    assert causes.cause_at(first).action.kind == "raise_reviews_per_round"
    rounds = RoundModel()
    rounds.set_rows([RoundEntry(date(2027, 1, 5), "Bäckliden", "Anna Berg", "09:00", 120,
                                "Fysisk", cancelled=True, cancel_reason="helgdag",
                                reviews=2)])
    qtmodeltester.check(rounds)
    grid = YearGridModel()
    grid.set_plan(2027, [("Anna Berg", "Bäckliden"), ("Anna Berg", "Tallen")], [APPT],
                  range(27, 32))
    qtmodeltester.check(grid)
    assert grid.count("Anna Berg", "Bäckliden", 5) == 1
    assert grid.count("Anna Berg", None, 5) == 1
    assert grid.rowCount() == 3
    summer = year_weeks(2027).index((2027, 28))
    assert grid.is_summer(summer)
    from PySide6.QtCore import Qt

    assert grid.index(1, summer).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_dialog_models(qtmodeltester, ui_db):
    units = unit_service.list_units(ui_db)
    preview = PreviewModel()
    preview.set_rows(unit_service.unit_preview(ui_db, units[0].data, date(2027, 1, 1), 8))
    qtmodeltester.check(preview)
    allowed = AllowedDateModel()
    allowed.set_rows([visit_service.AllowedDate(date(2027, 2, 2), 1, 2, True)])
    qtmodeltester.check(allowed)
