"""Every model round-trips on both backends; the migrations match the models; concurrent
edits are caught by optimistic locking."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from lakarrond.store import ConflictError, current_user
from lakarrond.store import models as m
from lakarrond.store.migrate import current_revision, head_revision


def test_every_model_round_trips(db):
    at = datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC)
    with db.begin() as s:
        centre = m.HealthCentre(name="VC Åby")
        doctor = m.Doctor(name="Åsa Öberg", health_centre=centre, review_weekdays="2,4",
                          reviews_per_day=3)
        absence = m.Absence(doctor=doctor, start=date(2027, 7, 1), end=date(2027, 7, 9),
                            reason="Semester", substitute="Per Vik")
        unit = m.Unit(name="Ängen", type="SÄBO", doctor=doctor, nurse="Eva",
                      rhythm_kind="Varannan vecka", parity="jämna", weekdays="1",
                      start_time=time(13, 30), length_min=90, form="Telefon",
                      reviews_in_round=False, reviews_per_round=0)
        patient = m.Patient(name="Karl Å", personnummer="19380412-1238", unit=unit,
                            room="Rum 3", admitted=date(2020, 1, 1),
                            last_review=date(2026, 5, 5), status="Utskriven",
                            end_date=date(2027, 2, 1), excluded="växelvård",
                            birth_date=date(1938, 4, 12))
        plan = m.Plan(year=2027, version=1, created_at=at, created_by="sköterska",
                      settings={"year": 2027, "summer_weeks": [27, 28]},
                      solver_status="OPTIMAL", objective=12.0, bound=11.5, wall_s=0.25,
                      measures={"coverage": 1.0, "peak_week": {"Åsa Öberg": 2}},
                      violations=[{"rule": "R8", "message": "för sent"}],
                      unplaced=[{"patient": "X", "unit": "Ängen", "reason": "ingen tid"}],
                      note="första")
        visit = m.Visit(plan=plan, patient=patient, date=date(2027, 3, 2),
                        preparation=date(2027, 2, 16), status="Låst", unit="Ängen",
                        doctor="Åsa Öberg")
        setting = m.Setting(year=2027, key="summer_weeks", value="27,28")
        log = m.AuditLog(at=at, user="u", action="update", entity="patient", entity_id="1",
                         patient_id=1, before={"room": "A"}, after={"room": "B"})
        s.add_all([centre, doctor, absence, unit, patient, plan, visit, setting, log])
    with db.begin() as s:
        doctor = s.scalars(select(m.Doctor)).one()
        assert (doctor.name, doctor.health_centre.name) == ("Åsa Öberg", "VC Åby")
        assert (doctor.review_weekdays, doctor.reviews_per_day) == ("2,4", 3)
        a = doctor.absences[0]
        assert (a.start, a.end, a.reason, a.substitute) == (
            date(2027, 7, 1), date(2027, 7, 9), "Semester", "Per Vik")
        unit = s.scalars(select(m.Unit)).one()
        assert (unit.rhythm_kind, unit.parity, unit.weekdays, unit.start_time) == (
            "Varannan vecka", "jämna", "1", time(13, 30))
        assert (unit.form, unit.reviews_in_round, unit.reviews_per_round, unit.version) == (
            "Telefon", False, 0, 1)
        p = s.scalars(select(m.Patient)).one()
        assert (p.personnummer, p.status, p.end_date, p.excluded, p.birth_date) == (
            "19380412-1238", "Utskriven", date(2027, 2, 1), "växelvård", date(1938, 4, 12))
        plan = s.scalars(select(m.Plan)).one()
        assert plan.created_at == at
        assert plan.settings["summer_weeks"] == [27, 28]
        assert plan.measures["peak_week"] == {"Åsa Öberg": 2}
        assert plan.violations[0]["rule"] == "R8" and plan.unplaced[0]["reason"] == "ingen tid"
        assert (plan.objective, plan.bound, plan.wall_s, plan.note) == (12.0, 11.5, 0.25, "första")
        v = plan.visits[0]
        assert (v.patient.name, v.date, v.preparation, v.status) == (
            "Karl Å", date(2027, 3, 2), date(2027, 2, 16), "Låst")
        assert s.scalars(select(m.Setting)).one().value == "27,28"
        log = s.scalars(select(m.AuditLog)).one()
        assert (log.at, log.before, log.after) == (at, {"room": "A"}, {"room": "B"})


def test_schema_matches_models_after_migrations(db):
    assert current_revision(db.engine) == head_revision()
    with db.engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), m.Base.metadata)
    assert diff == []


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.begin() as s:
        s.add(m.Patient(name="X", unit_id=999, admitted=date(2020, 1, 1)))


def test_concurrent_edit_of_a_patient_raises_conflict(small_db):
    # Two users: each reads the patient in its own action, the other saves first. (On SQLite
    # every transaction takes the write lock at BEGIN, so two open transactions on one file
    # wait for each other instead of interleaving; edits across actions still conflict.)
    db = small_db
    with db.begin() as first:
        mine = first.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
    with db.begin() as second:
        theirs = second.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        theirs.room = "Rum 9"
    with pytest.raises(ConflictError) as info, db.begin() as again:
        again.add(mine)
        mine.room = "Rum 2"
    assert str(info.value) == "Någon annan har ändrat patienten – läs in igen."
    with db.begin() as s:
        p = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        assert (p.room, p.version) == ("Rum 9", 2)


def test_concurrent_edit_of_a_unit_raises_conflict(small_db):
    db = small_db
    with db.begin() as first:
        mine = first.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
    with db.begin() as second:
        second.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one().nurse = "A"
    with pytest.raises(ConflictError, match="enheten"), db.begin() as again:
        again.add(mine)
        mine.nurse = "B"


def test_user_is_the_os_user():
    assert current_user()


def test_the_audit_log_is_append_only(db):
    from lakarrond.store import StoreError, audit

    with db.begin() as s:
        audit(s, "update", "patient", 1, patient_id=1, before={"a": 1}, after={"a": 2})
    with pytest.raises(StoreError, match="Loggen"), db.begin() as s:
        s.scalars(select(m.AuditLog)).one().action = "delete"
    with pytest.raises(StoreError, match="Loggen"), db.begin() as s:
        s.delete(s.scalars(select(m.AuditLog)).one())
    with db.begin() as s:
        row = s.scalars(select(m.AuditLog)).one()
        assert (row.action, row.entity, row.entity_id, row.after) == (
            "update", "patient", "1", {"a": 2})


def test_the_audit_log_masks_personnummer(db):
    from lakarrond.store import audit

    with db.begin() as s:
        audit(s, "update", "patient", 1, patient_id=1,
              before={"personnummer": "19380412-1238", "name": "Karl"},
              after={"personnummer": "193804121238"})
    with db.begin() as s:
        row = s.scalars(select(m.AuditLog)).one()
        assert row.before == {"personnummer": "19380412-****", "name": "Karl"}
        assert row.after == {"personnummer": "19380412-****"}


def test_coordinator_tables_round_trip_and_cascade(small_db):
    """Revision 0003: ticks and round changes are unique per ÅMV/date and go with their
    patient/unit; the new columns keep their values."""
    from sqlalchemy.exc import IntegrityError

    db = small_db
    with db.begin() as s:
        karl = s.scalars(select(m.Patient).where(m.Patient.name == "Karl Nilsson")).one()
        home = s.scalars(select(m.Unit).where(m.Unit.name == "Bäckliden")).one()
        doctor = home.doctor
        assert (home.review_minutes, doctor.retired_on, doctor.absences[0].version) == (
            30, None, 1)
        doctor.absences[0].reviews_by_substitute = True
        home.review_minutes = 20
        s.add(m.PreparationTick(patient_id=karl.id, review_date=date(2027, 3, 2),
                                step="Prover tagna", done_on=date(2027, 2, 20), done_by="u"))
        s.add(m.RoundChange(unit=home, date=date(2027, 3, 3), kind="extra", note="Influensa"))
        karl_id, home_id = karl.id, home.id
    with pytest.raises(IntegrityError), db.begin() as s:
        s.add(m.PreparationTick(patient_id=karl_id, review_date=date(2027, 3, 2),
                                step="Prover tagna", done_on=date(2027, 2, 21), done_by="v"))
    with pytest.raises(IntegrityError), db.begin() as s:
        s.add(m.RoundChange(unit_id=home_id, date=date(2027, 3, 3), kind="cancelled"))
    with db.begin() as s:
        tick = s.scalars(select(m.PreparationTick)).one()
        assert (tick.step, tick.done_on, tick.done_by, tick.version) == (
            "Prover tagna", date(2027, 2, 20), "u", 1)
        home = s.get(m.Unit, home_id)
        assert home.review_minutes == 20
        assert [(c.date, c.kind, c.note) for c in home.round_changes] == [
            (date(2027, 3, 3), "extra", "Influensa")]
        assert home.doctor.absences[0].reviews_by_substitute is True
        s.delete(s.get(m.Patient, karl_id))
    with db.begin() as s:
        assert s.scalars(select(m.PreparationTick)).all() == []
        for p in s.get(m.Unit, home_id).patients:
            s.delete(p)
        s.flush()
        s.delete(s.get(m.Unit, home_id))
    with db.begin() as s:
        assert s.scalars(select(m.RoundChange)).all() == []
