"""Plan-year settings: every key the user may set is stored and read back; keys that the
solver's Settings does not (yet) have are kept but not passed to it."""

from __future__ import annotations

import dataclasses
from datetime import date, time

from sqlalchemy import select

from lakarrond.store import models as m
from lakarrond.store.settings import (
    read_settings,
    read_values,
    settings_dict,
    settings_from_dict,
    write_settings,
)
from solver.problem import Settings

PERIODS = ((date(2027, 2, 15), date(2027, 2, 19)), (date(2027, 10, 1), date(2027, 10, 1)))


def test_every_user_setting_round_trips(db):
    values = {
        "summer_weeks": (28, 29, 30),
        "blocked_periods": PERIODS,
        "avoid_bridge_days": True,
        "new_patient_days": 21,
        "min_interval_months": 5,
        "max_interval_months": 11,
        "preparation_days": 10,
        "freeze_days": 7,
        "time_limit_s": 12.5,
        "default_reviews_per_day": 4,
        "review_day_start": time(13, 30),
        "preparation_steps": [("Kallad, informerad", 14), ("Prover \"tagna\"", 7)],
    }
    with db.begin() as s:
        write_settings(s, 2027, values)
    with db.begin() as s:
        stored = read_values(s, 2027)
        settings = read_settings(s, 2027)
        assert read_values(s, 2028) == {}
    expected = dict(values, preparation_steps=(("Kallad, informerad", 14),
                                               ("Prover \"tagna\"", 7)))
    assert stored == expected
    assert settings.blocked_periods == PERIODS
    assert (settings.summer_weeks, settings.avoid_bridge_days) == ((28, 29, 30), True)
    assert (settings.new_patient_days, settings.min_interval_months,
            settings.max_interval_months, settings.preparation_days) == (21, 5, 11, 10)
    assert settings.freeze_days == 7


def test_keys_that_settings_lacks_are_ignored_by_read_settings(db):
    with db.begin() as s:
        write_settings(s, 2027, {"freeze_days": 3, "review_day_start": time(12, 0)})
        s.add(m.Setting(year=2027, key="no_such_key", value="1"))
        s.add(m.Setting(year=2027, key="new_patient_days", value="not a number"))
    with db.begin() as s:
        settings = read_settings(s, 2027, {"plan_from_unknown": date(2027, 5, 1),
                                           "time_limit_s": 2.0})
        values = read_values(s, 2027)
    assert settings.time_limit_s == 2.0
    assert settings.new_patient_days == Settings(year=2027).new_patient_days
    assert values == {"freeze_days": 3, "review_day_start": time(12, 0)}


def test_a_long_value_fits(db):
    many = tuple((date(2027, 1, 1 + i), date(2027, 1, 1 + i)) for i in range(30))
    with db.begin() as s:
        write_settings(s, 2027, {"blocked_periods": many})
    with db.begin() as s:
        assert len(s.scalars(select(m.Setting.value)).one()) > 400
        assert read_settings(s, 2027).blocked_periods == many


def test_settings_dict_round_trips():
    settings = Settings(year=2027, summer_weeks=(29, 30), blocked_periods=PERIODS,
                        avoid_bridge_days=True)
    data = settings_dict(settings)
    assert data["blocked_periods"][0] == ["2027-02-15", "2027-02-19"]
    assert settings_from_dict({**data, "unknown": 1}) == settings
    assert set(data) == {f.name for f in dataclasses.fields(Settings)}
