"""The audit log as a change feed (services.changes): a window sees what another Database
(another coordinator, another window on the same file) changed, never its own changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import import_module

import pytest

from lakarrond.services import patients as patient_service
from lakarrond.services.changes import ChangeKind, changes_since, read_changes
from lakarrond.store import AuditLog, audit, open_database, written_here
from tests.stores import fill_small_store

audit_module = import_module("lakarrond.store.audit")
TODAY = date(2027, 1, 10)


def _other(db_target: str, monkeypatch: pytest.MonkeyPatch, user: str = "anna.andersson"):  # type: ignore[no-untyped-def]
    """Another coordinator: her own Database on the same database, her own user name."""
    monkeypatch.setattr(audit_module, "current_user", lambda: user)
    return open_database(db_target)


def _patient(db, name: str):  # type: ignore[no-untyped-def]
    return next(r for r in patient_service.list_patients(db) if r.data.name == name)


def test_another_databases_change_is_seen_with_who_and_what(
        db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = open_database(db_target)
    fill_small_store(mine)
    start = read_changes(mine, None).last_id
    assert changes_since(mine, start) == []  # my own filling is not news to me

    other = _other(db_target, monkeypatch)
    try:
        karl = _patient(other, "Karl Nilsson")
        patient_service.update_patient(other, karl.id, replace(karl.data, room="Rum 9"),
                                       karl.version, TODAY)
    finally:
        other.dispose()
    seen = changes_since(mine, start)
    mine.dispose()

    assert [(c.kind, c.user, c.action, c.subject_id) for c in seen] == [
        (ChangeKind.PATIENT, "anna.andersson", "update", karl.id)]
    text = seen[0].text
    assert text.startswith("anna.andersson ändrade patienten Karl Nilsson kl. ")
    assert "19380412" not in text and "1238" not in text  # never a personnummer


def test_my_own_change_is_not_news(db_target: str) -> None:
    mine = open_database(db_target)
    try:
        fill_small_store(mine)
        start = read_changes(mine, None).last_id
        karl = _patient(mine, "Karl Nilsson")
        patient_service.update_patient(mine, karl.id, replace(karl.data, room="Rum 9"),
                                       karl.version, TODAY)
        seen = read_changes(mine, start)
        assert seen.changes == ()
        assert seen.last_id > start  # but read past: the next poll starts after it
        assert read_changes(mine, seen.last_id).changes == ()
        # the same rows seen as another window's: a change
        assert [c.kind for c in read_changes(mine, start, own=()).changes] == [
            ChangeKind.PATIENT]
    finally:
        mine.dispose()


def test_a_rolled_back_audit_row_is_not_remembered_as_mine(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), sqlite_db.begin() as s:
        row = audit(s, "update", "setting", None, after={"year": 2027})
        s.flush()
        flushed = row.id
        raise RuntimeError("stop")
    assert flushed not in written_here(sqlite_db.engine)
    with sqlite_db.begin() as s:
        kept = audit(s, "update", "setting", None, after={"year": 2027})
        s.flush()
    assert kept.id in written_here(sqlite_db.engine)


def test_exports_and_printouts_are_not_changes(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.begin() as s:
        for action in ("export", "print"):
            audit(s, action, "plan", None, after={"year": 2027})
        audit(s, "update", "setting", None, after={"year": 2027})
    seen = read_changes(sqlite_db, 0, own=())
    assert [(c.kind, c.year, c.text.split(" kl. ")[0]) for c in seen.changes] == [
        (ChangeKind.SETTINGS, 2027, f"{audit_module.current_user()} ändrade inställningarna "
                                    "för 2027")]
    with sqlite_db.read() as s:
        assert seen.last_id == max(r.id for r in s.query(AuditLog))


def test_a_poll_reads_at_most_a_batch_and_goes_on_from_there(sqlite_db) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.begin() as s:
        for _ in range(5):
            audit(s, "update", "setting", None, after={"year": 2027})
    first = read_changes(sqlite_db, 0, own=(), limit=3)
    second = read_changes(sqlite_db, first.last_id, own=(), limit=3)
    assert (len(first.changes), len(second.changes)) == (3, 2)
    assert second.changes[0].id == first.last_id + 1


def test_each_kind_is_named_and_no_note_or_personnummer_is_told(
        db_target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from lakarrond.services.visits import record_visit

    mine = open_database(db_target)
    fill_small_store(mine)
    start = read_changes(mine, None).last_id
    other = _other(db_target, monkeypatch)
    try:
        record_visit(other, "Karl Nilsson", date(2027, 1, 5), "Genomförd", today=TODAY)
        greta = _patient(other, "Greta Ek")
        patient_service.update_patient(other, greta.id, replace(
            greta.data, excluded="demens, växelvård"), greta.version, TODAY)
    finally:
        other.dispose()
    seen = changes_since(mine, start)
    mine.dispose()

    said = [(c.kind, c.year, c.text.split(" kl. ")[0]) for c in seen]
    assert said == [
        (ChangeKind.PLAN, 2027, "anna.andersson sparade en ny plan för 2027"),  # the year's first
        (ChangeKind.OUTCOME, 2027, "anna.andersson ändrade ÅMV för Karl Nilsson (genomförd)"),
        (ChangeKind.PATIENT, None, "anna.andersson ändrade patienten Greta Ek"),
    ]
    for change in seen:
        assert "demens" not in change.text and "19300101" not in change.text
