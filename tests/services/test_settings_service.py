"""The Settings dialog's use cases: read the year's values, validate with Swedish messages
naming the field, save only what changed (audited), return the values before for undo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from sqlalchemy import select

from lakarrond.errors import BadInput
from lakarrond.io.schema import SETTING_SPECS
from lakarrond.services import settings as settings_service
from lakarrond.services.settings import (
    RANGES,
    SettingsData,
    get_settings,
    save_settings,
    validate,
)
from lakarrond.store import models as m
from lakarrond.store.settings import read_settings

YEAR = 2027


def test_defaults_and_stored_values(small_db):
    data = get_settings(small_db, YEAR + 1)
    assert data == SettingsData()
    assert (data.freeze_days, data.default_reviews_per_day, data.review_day_start) == (
        14, 2, time(13, 0))
    assert get_settings(small_db, YEAR).summer_weeks == (27, 28, 29, 30, 31)


def test_validate_names_every_bad_field():
    bad = SettingsData(
        summer_weeks=(0, 27, 54), blocked_periods=((date(2027, 5, 2), date(2027, 5, 1)),
                                                   (date(2028, 2, 1), date(2028, 2, 3))),
        new_patient_days=0, min_interval_months=12, max_interval_months=12,
        preparation_days=-1, freeze_days=91, default_reviews_per_day=21,
        review_day_start=time(23, 0),
    )
    errors = validate(bad, YEAR)
    assert errors == [
        "Semesterveckor: vecka 0, 54 finns inte (veckorna är 1–52).",
        "Spärrade perioder: 2027-05-02–2027-05-01 slutar före den börjar.",
        "Spärrade perioder: 2028-02-01–2028-02-03 ligger utanför planåret 2027.",
        "Dagar till ÅMV för ny patient måste vara 1–365 (nu 0).",
        "Förberedelse (dagar före ÅMV) måste vara 0–90 (nu -1).",
        "Frysta dagar måste vara 0–90 (nu 91).",
        "ÅMV per dag måste vara 0–20 (nu 21).",
        "Minsta intervall (månader) (12) måste vara mindre än längsta intervall (månader) (12).",
        "Första ÅMV-tid på ÅMV-dagar måste ligga mellan 06:00 och 20:00.",
    ]
    assert validate(SettingsData(), YEAR) == []
    # week 53 exists in ISO year 2026, not in 2027; a period around the new year is fine
    assert validate(SettingsData(summer_weeks=(53,)), 2026) == []
    around = ((date(2026, 12, 28), date(2027, 1, 3)),)
    assert validate(SettingsData(blocked_periods=around), YEAR) == []
    assert validate(SettingsData(blocked_periods=around), 2028) != []


def test_save_stores_only_changes_audits_and_returns_the_values_before(small_db):
    db = small_db
    before = get_settings(db, YEAR)
    periods = ((date(2027, 10, 4), date(2027, 10, 8)), (date(2027, 2, 15), date(2027, 2, 19)))
    new = replace(before, summer_weeks=(30, 28, 29, 28), blocked_periods=periods,
                  avoid_bridge_days=True, freeze_days=10, default_reviews_per_day=3,
                  review_day_start=time(12, 30))
    assert save_settings(db, YEAR, new) == before
    got = get_settings(db, YEAR)
    assert got.summer_weeks == (28, 29, 30)
    assert got.blocked_periods == tuple(sorted(periods))
    assert (got.avoid_bridge_days, got.freeze_days, got.default_reviews_per_day,
            got.review_day_start) == (True, 10, 3, time(12, 30))
    with db.begin() as s:
        settings = read_settings(s, YEAR)  # the planner sees them
        keys = set(s.scalars(select(m.Setting.key).where(m.Setting.year == YEAR)))
        log = s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "setting")).one()
    assert settings.blocked_periods == tuple(sorted(periods))
    assert settings.avoid_bridge_days is True
    assert settings.freeze_days == 10
    assert "new_patient_days" not in keys  # untouched defaults are not stored
    assert log.entity_id == str(YEAR)
    assert log.before == {"summer_weeks": [27, 28, 29, 30, 31], "blocked_periods": [],
                          "avoid_bridge_days": False, "freeze_days": 14,
                          "default_reviews_per_day": 2, "review_day_start": "13:00:00"}
    assert log.after["blocked_periods"][0] == ["2027-02-15", "2027-02-19"]
    assert log.after["review_day_start"] == "12:30:00"
    # undo: save the values before
    save_settings(db, YEAR, before)
    assert get_settings(db, YEAR) == before


def test_save_refuses_bad_values_and_writes_nothing(small_db):
    with pytest.raises(BadInput, match="måste vara mindre än längsta intervall"):
        save_settings(small_db, YEAR, SettingsData(min_interval_months=12,
                                                   max_interval_months=6))
    with small_db.begin() as s:
        assert s.scalars(select(m.AuditLog).where(m.AuditLog.entity == "setting")).all() == []


def test_years_and_application_values(small_db):
    save_settings(small_db, 2028, SettingsData(default_reviews_per_day=4,
                                               review_day_start=time(14, 0)))
    assert settings_service.default_reviews_per_day(small_db, 2028) == 4
    assert settings_service.review_day_start(small_db, 2028) == time(14, 0)
    assert settings_service.review_day_start(small_db, YEAR) == time(13, 0)


def test_the_dialog_and_the_template_allow_the_same_ranges():
    spec = {s.name: (s.minimum, s.maximum) for s in SETTING_SPECS}
    assert RANGES["max_interval_months"] == spec["Max intervall (månader)"]
    assert RANGES["min_interval_months"] == spec["Min intervall (månader)"]
    assert RANGES["preparation_days"] == spec["Förberedelse (dagar)"]
    assert RANGES["new_patient_days"] == spec["Nya patienter inom (dagar)"]
