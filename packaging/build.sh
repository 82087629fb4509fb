#!/usr/bin/env bash
# Builds the one-folder program dist/Lakarrond/ (Lakarrond + lakarrond-cli) with PyInstaller.
# Usage: packaging/build.sh   (installs PyInstaller into .venv when it is missing)
# On Windows use the same command in PowerShell: pyinstaller lakarrond.spec --noconfirm
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
if ! "$PY" -c "import PyInstaller" 2>/dev/null; then
  "$PY" -m pip install -q "pyinstaller>=6"
fi
# The icon is generated (and committed); make it again only when it is missing.
if [ ! -f resources/lakarrond.ico ]; then
  QT_QPA_PLATFORM=offscreen "$PY" resources/make_icon.py
fi
start=$(date +%s)
"$PY" -m PyInstaller lakarrond.spec --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build
end=$(date +%s)
echo "Byggt: dist/Lakarrond ($(du -sh dist/Lakarrond | cut -f1)) på $((end - start)) s"
