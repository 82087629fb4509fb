"""Qt table models over plain snapshots of the store's data (no Session inside)."""

from lakarrond.ui.models.table import Column, RowTableModel, SearchFilterProxy

__all__ = ["Column", "RowTableModel", "SearchFilterProxy"]
