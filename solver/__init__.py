"""Läkarrond's planning library: pure Python + OR-Tools, no Qt, no SQLAlchemy."""
