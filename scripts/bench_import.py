"""Benchmark of the Excel import: generate a workbook with many patients and import it.

    .venv/bin/python scripts/bench_import.py [--patients 10000] [--keep DIR]

Prints the seconds for writing the workbook, reading and checking it, the first import into
an empty SQLite database, and a second import of the same file (nothing changes).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from lakarrond.io.excel_import import read_workbook
from lakarrond.io.template import write_template
from lakarrond.services.importer import import_workbook
from lakarrond.store import open_database

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")


def _luhn_digit(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def personnummer(birth: date, serial: int) -> str:
    """A valid personnummer; ``serial`` 1–999 (000 is not a valid serial)."""
    short = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{_luhn_digit(short)}"


def generate(path: Path, patients: int, seed: int = 1) -> None:
    """A filled template with ``patients`` patients, 30 per unit, 10 units per doctor."""
    rng = random.Random(seed)
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    units = max(1, patients // 30)
    doctors = max(1, units // 10)
    for index in range(doctors):
        workbook["Läkare"].append([f"Läkare {index + 1}", f"VC {index % 5 + 1}",
                                   WEEKDAYS[index % 5], 2])
    for index in range(units):
        workbook["Enheter"].append([
            f"Enhet {index + 1}", "SÄBO", f"Läkare {index % doctors + 1}", "", "Varje vecka",
            "", WEEKDAYS[index % 5], "09:00", 120, "Fysisk", "Ja", 1,
        ])
    sheet = workbook["Patienter"]
    for index in range(patients):
        birth = date(1925, 1, 1) + timedelta(days=index * 7919 % 25_000)  # unique per index
        admitted = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
        last = admitted + timedelta(days=rng.randrange(300)) if rng.random() < 0.8 else None
        sheet.append([
            f"Patient {index + 1}", personnummer(birth, index % 999 + 1),
            f"Enhet {index % units + 1}", str(index % 40 + 1), admitted, last, "Aktiv", None, "",
        ])
    workbook["Inställningar"]["B3"] = 2027
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the workbook and database here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        workbook = folder / "bench.xlsx"
        started = time.perf_counter()
        generate(workbook, args.patients)
        generated = time.perf_counter() - started

        started = time.perf_counter()
        data = read_workbook(workbook)
        read = time.perf_counter() - started

        db = open_database(str(folder / "bench.sqlite"))
        try:
            started = time.perf_counter()
            first = import_workbook(db, workbook)
            first_s = time.perf_counter() - started
            started = time.perf_counter()
            second = import_workbook(db, workbook)
            second_s = time.perf_counter() - started
        finally:
            db.dispose()
    print(f"Patienter: {len(data.patients)}, enheter: {len(data.units)}, "
          f"läkare: {len(data.doctors)}")
    print(f"Skriva arbetsboken:        {generated:6.2f} s")
    print(f"Läsa och kontrollera:      {read:6.2f} s")
    print(f"Första importen (tom db):  {first_s:6.2f} s  ({first.added} nya)")
    print(f"Andra importen (samma fil): {second_s:5.2f} s  ({second.changed} ändrade)")


if __name__ == "__main__":
    main()
