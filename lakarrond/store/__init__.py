"""The persistent store: models, database opening, migrations, backups, audit log."""

from lakarrond.store.audit import (
    INPUT_ENTITIES,
    audit,
    bump_input_version,
    current_user,
    input_version,
    restore_input_version,
)
from lakarrond.store.backup import list_backups, make_backup, newest_backup, restore_backup
from lakarrond.store.database import Database, default_path, open_database
from lakarrond.store.errors import ConflictError, DatabaseDamaged, StoreError
from lakarrond.store.models import (
    Absence,
    AuditLog,
    Base,
    Doctor,
    HealthCentre,
    Patient,
    Plan,
    Setting,
    Unit,
    Visit,
)
from lakarrond.store.written import written_here

__all__ = [
    "INPUT_ENTITIES",
    "Absence",
    "AuditLog",
    "Base",
    "ConflictError",
    "Database",
    "DatabaseDamaged",
    "Doctor",
    "HealthCentre",
    "Patient",
    "Plan",
    "Setting",
    "StoreError",
    "Unit",
    "Visit",
    "audit",
    "bump_input_version",
    "current_user",
    "default_path",
    "input_version",
    "list_backups",
    "make_backup",
    "newest_backup",
    "open_database",
    "restore_backup",
    "restore_input_version",
    "written_here",
]
