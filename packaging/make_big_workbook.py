"""Writes an import workbook big enough (4 doctors, 1,500 patients) that the planner solves
the doctors in parallel worker processes, for checking multiprocessing in the frozen build.

Usage: ``python packaging/make_big_workbook.py OUT.xlsx [PATIENTS]``
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

DOCTORS = ("Anna Berg", "Bo Ek", "Cecilia Lund", "David Holm")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag")


def write(path: Path, patients: int = 1500, year: int = 2027) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Läkare"
    ws.append(["Namn", "Vårdcentral", "ÅMV-dagar", "ÅMV per dag"])
    for i, name in enumerate(DOCTORS):
        ws.append([name, f"VC {'Norr' if i < 2 else 'Söder'}", "onsdag", 4])

    ws = wb.create_sheet("Enheter")
    ws.append(["Enhet", "Typ", "Läkare", "Rytm", "Veckor", "Veckodagar", "ÅMV i rond",
               "ÅMV per rond"])
    units = []
    for d, doctor in enumerate(DOCTORS):
        for u in range(3):
            name = f"Boende {d + 1}{'ABC'[u]}"
            units.append(name)
            ws.append([name, "SÄBO", doctor, "Varje vecka", None, WEEKDAYS[(d + u) % 5],
                       "Ja", 12])

    ws = wb.create_sheet("Patienter")
    ws.append(["Namn", "Enhet", "Inskriven", "Senaste ÅMV"])
    first = date(year - 1, 2, 1)
    for n in range(patients):
        last = first + timedelta(days=(n * 7) % 300)
        ws.append([f"Patient {n + 1:05d}", units[n % len(units)], date(year - 5, 3, 1), last])

    ws = wb.create_sheet("Inställningar")
    ws.append(["Inställning", "Värde"])
    ws.append(["Planår", year])
    wb.save(path)


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1500)
