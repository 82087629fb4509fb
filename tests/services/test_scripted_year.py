"""A municipality walked through 2027 as the year happens (issue 13).

Plan on 1 January; record held, declined and cancelled ÅMV in January–February; in March a
re-import admits one patient, records one death and one doctor absence; export at once;
suggest for the new patient; re-plan from 1 March. Then: the death is out of every export
before the re-plan; nothing before 1 March changed or was added; the freeze holds but for
the forced moves, which are counted; the cancelled patient has a new date; the new patient
is seen within 28 days; suggest's dates are free and inside the window.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from icalendar import Calendar
from pypdf import PdfReader

from lakarrond.services.document import load_document
from lakarrond.services.exporter import export_plan
from lakarrond.services.importer import import_workbook
from lakarrond.services.plan import plan_year
from lakarrond.services.suggest import suggest_dates
from lakarrond.services.visits import record_visit
from lakarrond.store import open_database

sys.path.insert(0, str(Path(__file__).parent.parent / "io"))
from io_fixtures import filled_workbook

YEAR = 2027
FROM = date(YEAR, 3, 1)
FIRSTS = ("Anna", "Karl", "Greta", "Nils", "Ingrid", "Olof", "Signe", "Bo", "Astrid", "Leif")
LASTS = ("Berg", "Holm", "Lund", "Ek", "Sand", "Dal", "Ström", "Lind")
DOCTORS = [
    {"Namn": "Anna Läkare", "Vårdcentral": "VC Centrum", "ÅMV-dagar": "onsdag",
     "ÅMV per dag": 2},
    {"Namn": "Olle Läkare", "Vårdcentral": "VC Centrum"},
]
UNITS = [
    {"Enhet": "Björkhagen", "Typ": "SÄBO", "Läkare": "Anna Läkare", "Rytm": "Varje vecka",
     "Veckodagar": "tisdag", "ÅMV per rond": 2},
    {"Enhet": "Tallgården", "Typ": "SÄBO", "Läkare": "Olle Läkare", "Rytm": "Varannan vecka",
     "Veckor": "udda", "Veckodagar": "torsdag", "ÅMV per rond": 3},
    {"Enhet": "Gruppbostaden", "Typ": "LSS", "Läkare": "Anna Läkare",
     "Rytm": "Varannan vecka", "Veckor": "jämna", "Veckodagar": "ons", "ÅMV i rond": "Nej",
     "ÅMV per rond": 0},
]


def _patients() -> list[dict]:
    rows = []
    units = ("Björkhagen", "Björkhagen", "Tallgården", "Gruppbostaden")
    for i in range(48):
        last = date(2026, 1, 12) + timedelta(days=7 * i)  # spread over 2026
        rows.append({"Namn": f"{FIRSTS[i % 10]} {LASTS[i // 10 % 8]}{i}",
                     "Enhet": units[i % 4], "Inskriven": date(2020, 1, 1) + timedelta(days=i),
                     "Senaste ÅMV": last, "Rum": str(100 + i)})
    return rows


def _workbook(path: Path, patients: list[dict], absences: list[dict]) -> Path:
    return filled_workbook(path, doctors=DOCTORS, units=UNITS, patients=patients,
                           absences=absences)


def _live(db) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    with db.begin() as s:
        doc = load_document(s, YEAR, today=date(YEAR, 1, 1))
    return {a.patient: (a.date.isoformat(), a.status) for a in doc.reviews}


@pytest.fixture
def year_db(tmp_path):  # type: ignore[no-untyped-def]
    db = open_database(str(tmp_path / "db" / "kommun.sqlite"))
    yield db
    db.dispose()


def test_a_year_as_it_happens(year_db, tmp_path, monkeypatch):
    db = year_db
    patients = _patients()
    import_workbook(db, _workbook(tmp_path / "jan.xlsx", patients, []))

    # --- 1 January: the year plan -----------------------------------------------------------
    first = plan_year(db, YEAR, time_limit=10, plan_from=date(YEAR, 1, 1))
    assert first.result.measures.coverage == 1.0
    v1 = _live(db)
    early = sorted((d, n) for n, (d, _) in v1.items() if d < "2027-02-27")
    assert len(early) >= 6, "some ÅMV in January–February to record"

    # --- January–February: held, declined, cancelled ---------------------------------------
    held, declined, cancelled = early[0][1], early[1][1], early[2][1]
    record_visit(db, held, date.fromisoformat(v1[held][0]), "Genomförd", today=FROM)
    record_visit(db, declined, date.fromisoformat(v1[declined][0]), "Avböjd",
                 reason="vill inte just nu", today=FROM)
    record_visit(db, cancelled, date.fromisoformat(v1[cancelled][0]), "Inställd",
                 reason="sjuk")
    after_outcomes = _live(db)
    assert after_outcomes[held][1] == "Genomförd"
    assert after_outcomes[declined][1] == "Avböjd"
    assert cancelled not in after_outcomes  # an Inställd ÅMV is not an appointment

    # --- March: a re-import admits one patient, records one death and an absence -----------
    later = sorted((d, n) for n, (d, _) in v1.items() if d >= "2027-04-01")
    dead = later[0][1]
    frozen = sorted((d, n) for n, (d, _) in v1.items()
                    if FROM.isoformat() <= d < (FROM + timedelta(days=14)).isoformat())
    assert frozen, "ÅMV in the freeze period"
    away_day, away_patient = frozen[0]
    away_doctor = "Anna Läkare" if any(
        p["Namn"] == away_patient and p["Enhet"] in ("Björkhagen", "Gruppbostaden")
        for p in patients) else "Olle Läkare"
    march = [dict(p) for p in patients]
    for p in march:
        if p["Namn"] == dead:
            p.update({"Status": "Avliden", "Slutdatum": date(YEAR, 3, 5)})
    march.append({"Namn": "Ny Patient", "Enhet": "Björkhagen", "Inskriven": date(YEAR, 3, 3),
                  "Rum": "201"})
    absence = [{"Läkare": away_doctor, "Från": away_day, "Till": away_day, "Orsak": "kurs"}]
    monkeypatch.setenv("LAKARROND_TODAY", "2027-03-05")  # a death is recorded once it happened
    import_workbook(db, _workbook(tmp_path / "mars.xlsx", march, absence))
    monkeypatch.delenv("LAKARROND_TODAY")

    # --- export at once: the death is out of every export before any re-plan --------------
    out = tmp_path / "ut"
    out.mkdir()
    files = {s: export_plan(db, YEAR, out / f"plan{s}") for s in (".json", ".xlsx", ".ics")}
    data = json.loads(files[".json"].read_text("utf-8"))
    assert dead not in {a["patient"] for a in data["appointments"]}
    sheet = openpyxl.load_workbook(files[".xlsx"])["Årsplan"]
    assert dead not in {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    names = export_plan(db, YEAR, out / "names.ics", doctor=None)
    assert dead not in Calendar.from_ical(names.read_bytes()).to_ical().decode()
    dead_doctor = v1[dead]
    pdf = export_plan(db, YEAR, out / "rond.pdf", doctor="Anna Läkare")
    pdf2 = export_plan(db, YEAR, out / "rond2.pdf", doctor="Olle Läkare")
    text = " ".join(page.extract_text() for f in (pdf, pdf2) for page in PdfReader(f).pages)
    assert dead not in text and dead_doctor

    # --- suggest for the new patient ---------------------------------------------------------
    found = suggest_dates(db, "Ny Patient", YEAR, FROM)
    window = found.result.window
    assert window[0] >= date(YEAR, 3, 3) and window[1] <= date(YEAR, 3, 31)
    with db.begin() as s:
        saved = load_document(s, YEAR, today=FROM)
    per_round = Counter((a.unit, a.date) for a in saved.reviews)
    for suggestion in found.result.suggestions[:3]:
        assert suggestion.date >= FROM and suggestion.in_window
        assert window[0] <= suggestion.date <= window[1]
        assert per_round[("Björkhagen", suggestion.date)] < 2  # a free place in the round

    # --- re-plan from 1 March -------------------------------------------------------------------
    second = plan_year(db, YEAR, time_limit=10, plan_from=FROM)
    with db.begin() as s:
        doc = load_document(s, YEAR, today=FROM)
    v2 = {a.patient: a for a in doc.reviews}
    assert doc.first_day == FROM and json.loads(json.dumps(doc.to_json()))["from"] == "2027-03-01"
    # nothing before 1 March changed or was added
    before1 = {n: v for n, v in after_outcomes.items() if v[0] < FROM.isoformat()}
    before2 = {a.patient: (a.date.isoformat(), a.status) for a in doc.reviews
               if a.date < FROM}
    assert before2 == before1
    # the freeze holds but for forced moves, and those are counted
    forced = {f.patient for f in doc.forced_moves}
    assert away_patient in forced
    assert doc.measures.moved_in_freeze == len(doc.forced_moves) >= 1
    for day, name in frozen:
        if name not in forced and name != dead:
            assert v2[name].date.isoformat() == day, name
    # the cancelled patient has a new date, the new one is seen within 28 days
    assert v2[cancelled].date >= FROM and v2[cancelled].status == "Planerad"
    assert date(YEAR, 3, 3) <= v2["Ny Patient"].date <= date(YEAR, 3, 31)
    assert dead not in v2
    assert second.version == 2 and second.result.measures.coverage == 1.0
