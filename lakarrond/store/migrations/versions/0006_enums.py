"""enum columns (issue 19.2): the stored values are checked, the schema stays as it is

Revision ID: 0006_enums
Revises: 0005_b
Create Date: 2026-12-05

The models now type ``unit.type``, ``unit.rhythm_kind``, ``unit.parity``, ``unit.form``,
``patient.status``, ``visit.status`` and ``round_change.kind`` with their enums
(``sqlalchemy.Enum(native_enum=False, create_constraint=False)``, the Swedish value
stored). That is the same VARCHAR of the same length as before on SQLite and on
PostgreSQL, so no DDL is needed and no data is rewritten.

No CHECK constraint is added, on purpose: on SQLite it would mean rebuilding the patient,
visit and unit tables (batch mode), every new member of an enum would need a migration on
both backends, and every write goes through the models, which refuse an unknown value.
What the upgrade does instead is refuse a database in which a row holds a value the
program does not know (it could not be read any more), naming the table, the column and
the values, before anything is stamped; the file is left as it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lakarrond.store.errors import StoreError

revision = "0006_enums"
down_revision = "0005_b"
branch_labels = None
depends_on = None

# the values of the enums at this revision (copied: a migration must not change with the
# code); None allowed where the column is nullable
KNOWN: dict[tuple[str, str], tuple[str | None, ...]] = {
    ("unit", "type"): ("SÄBO", "Korttidsboende", "Ordinärt boende", "LSS"),
    ("unit", "rhythm_kind"): ("Varje vecka", "Varannan vecka", "Två gånger i veckan"),
    ("unit", "parity"): ("udda", "jämna", None),
    ("unit", "form"): ("Fysisk", "Telefon"),
    ("patient", "status"): ("Aktiv", "Utskriven", "Avliden"),
    ("visit", "status"): ("Planerad", "Låst", "Genomförd", "Avböjd", "Inställd"),
    ("round_change", "kind"): ("extra", "cancelled"),
}


def unknown_values() -> list[str]:
    """``table.column: 'value', …`` for every column holding a value not in KNOWN."""
    con = op.get_bind()
    found = []
    for (table_name, column_name), values in KNOWN.items():
        column = sa.column(column_name, sa.String)
        sa.table(table_name, column)  # binds the column to its table for the select
        allowed = [v for v in values if v is not None]
        where: sa.ColumnElement[bool] = column.not_in(allowed)
        if None not in values:
            where = sa.or_(where, column.is_(None))
        bad = sorted("tomt" if v is None else repr(v) for (v,) in con.execute(
            sa.select(column).where(where).distinct()))
        if bad:
            found.append(f"{table_name}.{column_name}: " + ", ".join(bad))
    return found


def upgrade() -> None:
    bad = unknown_values()
    if bad:
        raise StoreError("Databasen kan inte uppgraderas: den innehåller värden som "
                         "programmet inte känner till (" + "; ".join(bad) + "). Rätta dem "
                         "i databasen först; ingenting har ändrats.")


def downgrade() -> None:
    """Nothing to undo: the schema did not change."""
