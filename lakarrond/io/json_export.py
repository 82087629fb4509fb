"""The plan as JSON (contracts §3): ``PlanDocument.to_json()``, UTF-8, indented."""

from __future__ import annotations

import json
from pathlib import Path

from lakarrond.document import PlanDocument
from lakarrond.io.files import atomic_write


def plan_json_text(doc: PlanDocument) -> str:
    return json.dumps(doc.to_json(), ensure_ascii=False, indent=2) + "\n"


def write_plan_json(doc: PlanDocument, path: Path) -> None:
    text = plan_json_text(doc)
    atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"))
