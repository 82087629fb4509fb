from datetime import date

from solver.calendar import WorkCalendar, iso_week, preparation_date
from solver.problem import Absence, Settings

CAL = WorkCalendar(Settings(2027), [Absence("Anna Berg", date(2027, 3, 1), date(2027, 3, 5))])


def test_midsommarafton_2027_is_not_a_working_day():
    assert date(2027, 6, 25).weekday() == 4
    assert not CAL.is_working_day(date(2027, 6, 25))
    assert CAL.holiday_name(date(2027, 6, 25)) == "Midsommarafton"


def test_kristi_himmelsfard_2027():
    assert CAL.holiday_name(date(2027, 5, 6)) == "Kristi himmelsfärdsdag"
    assert not CAL.is_working_day(date(2027, 5, 6))
    assert CAL.is_working_day(date(2027, 5, 5))


def test_julafton_and_nyarsafton_are_holidays():
    assert not CAL.is_working_day(date(2027, 12, 24))
    assert not CAL.is_working_day(date(2027, 12, 31))


def test_new_years_day_2027_belongs_to_iso_week_53_of_2026():
    assert iso_week(date(2027, 1, 1)) == (2026, 53)
    assert iso_week(date(2027, 1, 4)) == (2027, 1)


def test_weekend_is_not_a_working_day():
    assert not CAL.is_working_day(date(2027, 1, 9))


def test_summer_weeks_are_blocked_but_working_days():
    assert iso_week(date(2027, 7, 14))[1] == 28
    assert CAL.is_working_day(date(2027, 7, 14))
    assert CAL.blocked_reason(date(2027, 7, 14)) == "semestervecka 28"
    assert CAL.blocked_reason(date(2027, 8, 9)) is None  # week 32


def test_bridge_day_after_ascension_only_blocked_when_asked():
    friday = date(2027, 5, 7)
    assert CAL.is_bridge_day(friday)
    assert CAL.blocked_reason(friday) is None
    avoid = WorkCalendar(Settings(2027, avoid_bridge_days=True))
    assert avoid.blocked_reason(friday) == "klämdag"


def test_absence_only_for_that_doctor():
    assert CAL.closed_reason(date(2027, 3, 3), "Anna Berg") == "Anna Berg är frånvarande"
    assert CAL.can_hold_review(date(2027, 3, 3), "Per Ek")


def test_preparation_date_is_moved_back_to_a_working_day():
    # 2027-05-20 − 14 days = 2027-05-06, Kristi himmelsfärd → Wednesday 2027-05-05
    assert preparation_date(date(2027, 5, 20), CAL, 14) == date(2027, 5, 5)
    assert preparation_date(date(2027, 3, 17), CAL, 14) == date(2027, 3, 3)


def test_the_computed_holidays_are_the_holidays_package_from_2005_to_2100():
    from solver.calendar import holidays_of, library_holidays

    for year in range(2005, 2101):
        assert holidays_of(year) == library_holidays(year), year


def test_before_2005_the_rules_differ_and_the_package_is_asked():
    from solver.calendar import holidays_of, library_holidays, swedish_holidays

    assert holidays_of(2004) != library_holidays(2004)  # Annandag pingst, no national day
    found = swedish_holidays(2005)
    assert {d: n for d, n in found.items() if d.year == 2004} == library_holidays(2004)
    assert found[date(2004, 5, 31)] == "Annandag pingst"


def test_a_plan_years_holidays_do_not_import_the_holidays_package():
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys; from solver.calendar import swedish_holidays; "
             "swedish_holidays(2027); print('holidays' in sys.modules)")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", probe], cwd=root, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr
