"""The desktop app (PySide6): main window, views, Qt models, dialogs, workers."""
