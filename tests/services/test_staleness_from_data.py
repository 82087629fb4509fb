"""Staleness from the data, not from the audit log (issue 22.3): a plan (or a draft) is stale
when its planning input changed – the input version moved – never because of a read, a
printout or an export; a refused save names what changed and never blames "någon annan" for
the user's own change; undoing or redoing "Använd" leaves the plan current."""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lakarrond.services import printing
from lakarrond.services.document import current_document
from lakarrond.services.exporter import export_moves, moved_printout
from lakarrond.services.fixes import Fix
from lakarrond.services.importer import import_workbook
from lakarrond.services.plan import StalePlan, make_plan, plan_year, save_draft
from lakarrond.services.staleness import staleness
from lakarrond.services.whatif import try_fix, undo_whatif, use_whatif
from lakarrond.store import ConflictError, audit, input_version
from lakarrond.store import models as m

sys.path.insert(0, str(Path(__file__).parent.parent / "io"))
from io_fixtures import PATIENTS, filled_workbook

YEAR = 2027
FROM = date(YEAR, 3, 1)


def _versions(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return int(s.scalar(select(func.count()).select_from(m.Plan)))


def _change_patient(db) -> None:  # type: ignore[no-untyped-def]
    with db.begin() as s:  # what the patient form does: the change and its audit row
        patient = s.scalars(select(m.Patient).order_by(m.Patient.id)).first()
        patient.room = "Rum 99"
        audit(s, "update", "patient", patient.id, patient_id=patient.id,
              after={"room": "Rum 99"})


def _replan(db):  # type: ignore[no-untyped-def]
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    return make_plan(db, YEAR, plan_from=FROM, time_limit=10)


def test_saving_the_moved_list_as_pdf_before_saving_the_plan_keeps_the_save(qapp, small_db,
                                                                            tmp_path):
    draft = _replan(small_db)
    printing.save_pdf(small_db, moved_printout(draft), tmp_path / "flyttade.pdf")
    saved = save_draft(small_db, draft)
    assert saved.version == 2 and _versions(small_db) == 2


def test_printing_and_exporting_the_moved_list_before_saving_keeps_the_save(small_db,
                                                                            tmp_path):
    draft = _replan(small_db)
    printing.record_printout(small_db, moved_printout(draft))  # "Skriv ut listan …"
    export_moves(small_db, moved_printout(draft), tmp_path / "flyttade.xlsx")
    current_document(small_db, YEAR)  # and a read
    assert save_draft(small_db, draft).version == 2


def test_a_patient_change_before_saving_refuses_the_save_naming_it(small_db):
    draft = _replan(small_db)
    _change_patient(small_db)
    with pytest.raises(StalePlan) as refused:
        save_draft(small_db, draft)
    text = str(refused.value)
    assert "patienter" in text and "av dig" in text and "någon annan" not in text.lower()
    assert _versions(small_db) == 1


def test_a_change_by_another_user_is_named_by_user(small_db, monkeypatch):
    draft = _replan(small_db)
    monkeypatch.setattr(getpass, "getuser", lambda: "anna.berg")
    _change_patient(small_db)
    monkeypatch.setattr(getpass, "getuser", lambda: "sjukskoterska")
    with pytest.raises(StalePlan, match=r"patienter, ändrade av anna\.berg"):
        save_draft(small_db, draft)


def test_a_plan_saved_by_another_session_is_a_conflict(small_db, monkeypatch):
    draft = _replan(small_db)
    monkeypatch.setattr(getpass, "getuser", lambda: "anna.berg")
    plan_year(small_db, YEAR, time_limit=10, plan_from=FROM)  # another session saved one
    monkeypatch.setattr(getpass, "getuser", lambda: "sjukskoterska")
    with pytest.raises(ConflictError, match="Någon annan"):
        save_draft(small_db, draft)
    assert _versions(small_db) == 2


def test_a_plan_saved_by_the_same_user_elsewhere_does_not_blame_someone_else(small_db):
    draft = _replan(small_db)
    plan_year(small_db, YEAR, time_limit=10, plan_from=FROM)  # the user's other window
    with pytest.raises(ConflictError) as refused:
        save_draft(small_db, draft)
    assert "någon annan" not in str(refused.value).lower()
    assert "av dig" in str(refused.value)


def test_reads_printouts_and_exports_leave_the_plan_current(qapp, small_db, tmp_path):
    draft = _replan(small_db)
    save_draft(small_db, draft)
    mark = _input(small_db)
    printing.save_pdf(small_db, moved_printout(draft), tmp_path / "flyttade.pdf")
    printing.record_printout(small_db, moved_printout(draft))
    export_moves(small_db, moved_printout(draft), tmp_path / "flyttade.xlsx")
    current_document(small_db, YEAR)
    state = staleness(small_db, YEAR)
    assert state is not None and not state.stale and _input(small_db) == mark


def test_an_input_change_makes_the_plan_stale_and_names_it(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    _change_patient(small_db)
    state = staleness(small_db, YEAR)
    assert state is not None and state.stale
    assert state.text.startswith("1 patient ändrade sedan planversion 1")


def _input(db) -> int:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        return input_version(s)


def test_undo_and_redo_of_a_used_fix_leave_the_plan_current(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    whatif = try_fix(small_db, YEAR, Fix("raise_reviews_per_round", unit="Bäckliden", value=3),
                     plan_from=FROM)
    applied = use_whatif(small_db, whatif)
    assert not staleness(small_db, YEAR).stale  # type: ignore[union-attr]
    undo_whatif(small_db, applied)  # Ctrl+Z: the fix and its plan go, version 1 is back
    state = staleness(small_db, YEAR)
    assert state is not None and state.version == 1 and not state.stale
    again = use_whatif(small_db, whatif, check_stale=False)  # Ctrl+Y
    state = staleness(small_db, YEAR)
    assert state is not None and state.version == again.version and not state.stale
    _change_patient(small_db)  # and a real change after it still counts
    assert staleness(small_db, YEAR).stale  # type: ignore[union-attr]


def test_undo_of_a_fix_after_another_change_keeps_the_plan_stale(small_db):
    plan_year(small_db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    whatif = try_fix(small_db, YEAR, Fix("raise_reviews_per_round", unit="Bäckliden", value=3),
                     plan_from=FROM)
    applied = use_whatif(small_db, whatif)
    _change_patient(small_db)
    undo_whatif(small_db, applied)
    assert staleness(small_db, YEAR).stale  # type: ignore[union-attr]


# --- imports: the changes count, not the import itself ---------------------------------------


def _workbook(path, **overrides):  # type: ignore[no-untyped-def]
    return filled_workbook(path, patients=overrides.get("patients", PATIENTS))


def test_importing_the_same_workbook_again_leaves_the_plan_current(db, tmp_path):
    path = _workbook(tmp_path / "data.xlsx")
    import_workbook(db, path)
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    import_workbook(db, path)  # nothing in it differs from the store
    state = staleness(db, YEAR)
    assert state is not None and not state.stale


def test_importing_a_changed_workbook_makes_the_plan_stale(db, tmp_path):
    import_workbook(db, _workbook(tmp_path / "data.xlsx"))
    plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    moved = [{**PATIENTS[0], "Rum": "99"}, *PATIENTS[1:]]
    import_workbook(db, _workbook(tmp_path / "changed.xlsx", patients=moved))
    state = staleness(db, YEAR)
    assert state is not None and state.stale and "1 patient" in state.text
