"""Årsplan with many doctors (issue 17): the year grid filtered by health centre or doctor
and searched; the Diagram per health centre or per chosen doctor (at most eight lines),
each line named in the legend."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from lakarrond.document import AnnualReview
from lakarrond.ui.models.year_grid import YearGridModel
from lakarrond.ui.views.year_chart import BY_CENTRE, BY_DOCTOR, MAX_LINES, YearChart
from lakarrond.ui.views.year_grid_bar import ALL_DOCTORS, CENTRE_SUFFIX, GridFilterBar

YEAR = 2027


def _review(doctor: str, unit: str, day: date) -> AnnualReview:
    return AnnualReview(day, doctor, unit, f"Patient {doctor} {day}", None, day, "Planerad")


def _region(doctors: int = 30) -> tuple[list[AnnualReview], dict[str, str]]:
    """``doctors`` doctors in three health centres, two units each, ÅMV spread over the
    year."""
    reviews, centres = [], {}
    for d in range(doctors):
        name = f"Läkare {d:03d}"
        centres[name] = f"VC {d % 3 + 1}"
        for k in range(d % 5 + 3):
            reviews.append(_review(name, f"Enhet {d}-{k % 2}",
                                   date(YEAR, 1, 4) + timedelta(days=7 * k + d % 5)))
    return reviews, centres


def _grid(qtbot: Any) -> tuple[YearGridModel, GridFilterBar]:
    reviews, centres = _region()
    model = YearGridModel()
    model.set_plan(YEAR, [(a.doctor, a.unit) for a in reviews], reviews)
    bar = GridFilterBar(model)
    qtbot.addWidget(bar)
    bar.set_doctors(centres)
    return model, bar


def _doctors_shown(model: YearGridModel) -> list[str]:
    return [model.grid_row(r).doctor for r in range(model.rowCount())
            if model.grid_row(r).unit is None]


def test_the_grid_shows_a_health_centre_or_one_doctor(qtbot: Any) -> None:
    model, bar = _grid(qtbot)
    assert model.rowCount() == 30 * 3  # each doctor and two units
    bar.choice.setCurrentText("VC 2" + CENTRE_SUFFIX)
    assert _doctors_shown(model) == [f"Läkare {d:03d}" for d in range(30) if d % 3 == 1]
    assert bar.count.text() == "30 av 90 rader"
    bar.choice.setCurrentText("Läkare 007")
    assert [model.grid_row(r).label.strip() for r in range(model.rowCount())] == [
        "Läkare 007", "Enhet 7-0", "Enhet 7-1"]
    first = next(c for c in range(model.columnCount()) if model.week_key(c) == (YEAR, 1))
    assert model.count("Läkare 007", None, 1) == model.index(0, first).data(0x0100) == 1
    bar.choice.setCurrentText(ALL_DOCTORS)
    assert model.rowCount() == 90


def test_the_grid_search_finds_a_doctor_or_a_unit(qtbot: Any) -> None:
    model, bar = _grid(qtbot)
    bar.search.setText("enhet 12-1")  # a unit: its doctor's row and the unit
    assert [(model.grid_row(r).doctor, model.grid_row(r).unit)
            for r in range(model.rowCount())] == [("Läkare 012", None),
                                                  ("Läkare 012", "Enhet 12-1")]
    bar.search.setText("läkare 02")  # doctors: with all their units
    assert _doctors_shown(model) == [f"Läkare {d:03d}" for d in range(20, 30)]
    assert model.rowCount() == 30
    bar.choice.setCurrentText("VC 1" + CENTRE_SUFFIX)  # and the chooser together
    assert _doctors_shown(model) == ["Läkare 021", "Läkare 024", "Läkare 027"]
    bar.search.setText("Zlatan")
    assert model.rowCount() == 0
    bar.search.setText("")
    bar.choice.setCurrentText(ALL_DOCTORS)
    assert model.rowCount() == 90


def test_the_grid_totals_are_the_rows_sums(qtbot: Any) -> None:
    model, _bar = _grid(qtbot)
    last = model.columnCount() - 1
    for r in range(model.rowCount()):
        weeks = sum(model.index(r, c).data(0x0100) for c in range(last))
        assert model.index(r, last).data(0x0100) == weeks


def test_the_diagram_of_a_region_shows_the_health_centres_named(qtbot: Any) -> None:
    reviews, centres = _region()
    chart = YearChart()
    qtbot.addWidget(chart)
    chart.set_plan(reviews, YEAR, centres)
    assert chart.mode.currentText() == BY_CENTRE
    assert chart.series_names() == ["VC 1", "VC 2", "VC 3"]
    assert chart.chart.legend().isVisible()
    total = sum(p.y() for s in chart.chart.series() for p in s.points())
    assert total == len(reviews)


def test_the_diagram_shows_at_most_eight_chosen_doctors(qtbot: Any) -> None:
    reviews, centres = _region()
    chart = YearChart()
    qtbot.addWidget(chart)
    chart.set_plan(reviews, YEAR, centres)
    chart.show_doctors(["Läkare 003", "Läkare 011"])
    assert chart.mode.currentText() == BY_DOCTOR
    assert chart.series_names() == ["Läkare 003", "Läkare 011"]
    assert len(set(chart.series_colours())) == 2
    for d in range(20, 30):
        chart.checks.tick(f"Läkare {d:03d}", True)
    assert len(chart.series_names()) == MAX_LINES  # a ninth tick is refused
    assert chart.note.text().startswith("Högst 8 läkare")
    assert not chart.checks.tick("Läkare 029", True)
    assert chart.checks.tick("Läkare 003", False)
    assert chart.checks.tick("Läkare 029", True)
    assert "Läkare 029" in chart.series_names()


def test_a_few_doctors_each_get_a_line(qtbot: Any) -> None:
    reviews, centres = _region(4)
    chart = YearChart()
    qtbot.addWidget(chart)
    chart.set_plan(reviews, YEAR, centres)
    assert chart.series_names() == [f"Läkare {d:03d}" for d in range(4)]
    chart.mode.setCurrentText(BY_CENTRE)
    assert chart.series_names() == ["VC 1", "VC 2", "VC 3"]
