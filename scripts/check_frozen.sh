#!/usr/bin/env bash
# Runs the frozen program (packaging/build.sh → dist/Lakarrond) the way users do:
#   lakarrond-cli --help, demo, plan --json (valid JSON with appointments), export to
#   .xlsx/.ics/.json (and .pdf when the build has it), template, import of a big workbook
#   planned by parallel worker processes (multiprocessing in the frozen build), PostgreSQL
#   (when its server binaries are installed, as for the tests), and the window opened
#   offscreen on an empty and on a filled database (Swedish dialog buttons).
# Prints the folder size and start times. Exit status 0 when every check passed.
# Usage: scripts/check_frozen.sh [DIST_DIR]      (default dist/Lakarrond)
#        CHECK_PARALLEL=0 / CHECK_POSTGRES=0 skip the parallel planning / PostgreSQL check
set -uo pipefail
cd "$(dirname "$0")/.."
DIST=${1:-dist/Lakarrond}
PY=${PYTHON:-.venv/bin/python}
EXE_SUFFIX=""
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE_SUFFIX=".exe" ;; esac
CLI="$DIST/lakarrond-cli$EXE_SUFFIX"
GUI="$DIST/Lakarrond$EXE_SUFFIX"
export QT_QPA_PLATFORM=offscreen
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# keep the window's settings (last database) and the default data folder out of the
# user's own (Linux; on Windows QSettings uses the registry)
export XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data"
failures=0

ok()   { echo "ok    $*"; }
fail() { echo "FEL   $*"; failures=$((failures + 1)); }
now()  { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
run()  { # run NAME CMD…: runs CMD, output in $TMP/NAME.out/.err, reports ok/FEL
  local name=$1; shift
  if "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then ok "$name"; return 0; fi
  fail "$name (status $?)"; sed 's/^/      /' "$TMP/$name.err" | tail -15; return 1
}

for exe in "$CLI" "$GUI"; do
  [ -x "$exe" ] || { echo "FEL   $exe saknas – bygg först med packaging/build.sh"; exit 1; }
done
echo "Mapp: $DIST ($(du -sh "$DIST" | cut -f1))"

# 0. the benchmarks and the tests are not shipped: no module of benchmarks/ or tests/ in the
#    frozen archive (PyInstaller lists it in build/*/PYZ-00.toc) nor as a file in the folder
toc=$(ls build/*/PYZ-00.toc 2>/dev/null | head -1)
if [ -n "$toc" ] && grep -qE "'(benchmarks|tests)(\.|')" "$toc"; then
  fail "benchmarks/ eller tests/ finns i det frysta programmet ($toc)"
elif find "$DIST" -path '*benchmarks*' | grep -q .; then
  fail "benchmarks/ finns i mappen $DIST"
else ok "inga benchmarks i det frysta programmet${toc:+ ($toc)}"; fi

# 1. start time of the console program (best of three --help runs)
best=""
for _ in 1 2 3; do
  t0=$(now); "$CLI" --help >"$TMP/help.out" 2>&1; t1=$(now)
  t=$(secs "$t0" "$t1")
  if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
done
if grep -q "användning: lakarrond" "$TMP/help.out"; then ok "lakarrond-cli --help ($best s)"
else fail "lakarrond-cli --help"; cat "$TMP/help.out"; fi

# 2. the command line on a fresh SQLite file
DB="$TMP/x.sqlite"
run demo "$CLI" --db "$DB" demo --year 2027
t0=$(now)
if run plan-json "$CLI" --db "$DB" plan --year 2027 --json; then
  t1=$(now)
  if "$PY" - "$TMP/plan-json.out" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
apps = doc["appointments"]
assert doc["year"] == 2027 and apps, "inga ÅMV i planen"
assert {"date", "week", "doctor", "unit", "patient", "preparation", "status"} <= set(apps[0])
print(f"      {len(apps)} ÅMV, lösare {doc['solver']['status']}, "
      f"täckning {doc['measures']['coverage']:.3f}")
PYEOF
  then ok "plan --json är giltig JSON med ÅMV ($(secs "$t0" "$t1") s)"
  else fail "plan --json gav ingen giltig plan"; fi
fi
run export-xlsx "$CLI" --db "$DB" export --year 2027 --out "$TMP/plan.xlsx"
if "$PY" - "$TMP/plan.xlsx" <<'PYEOF'
import sys
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1], read_only=True)
assert {"Årsplan", "Rondschema", "Avvikelser"} <= set(wb.sheetnames), wb.sheetnames
texts = {str(v) for row in wb["Rondschema"].iter_rows(values_only=True) for v in row if v}
# holidays' Swedish names come from its gettext catalogues (bundled data files)
assert any("Trettondedag jul" in t for t in texts), "helgdagarnas svenska namn saknas"
PYEOF
then ok "Excel-filen har bladen och helgdagarnas svenska namn"
else fail "Excel-filen (blad eller svenska helgdagsnamn)"; fi
run export-ics "$CLI" --db "$DB" export --year 2027 --out "$TMP/plan.ics"
run export-json "$CLI" --db "$DB" export --year 2027 --out "$TMP/plan.json"
DOCTOR=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1], encoding='utf-8'))\
['appointments'][0]['doctor'])" "$TMP/plan-json.out" 2>/dev/null)
if "$CLI" --db "$DB" export --year 2027 --out "$TMP/rond.pdf" --doctor "$DOCTOR" \
    --from 2027-01-01 --to 2027-03-31 >"$TMP/pdf.out" 2>&1; then
  if head -c 5 "$TMP/rond.pdf" | grep -q "%PDF"; then ok "export .pdf (rondschema för $DOCTOR)"
  else fail "export .pdf gav ingen PDF"; fi
else
  echo "--    export .pdf finns inte i bygget ännu: $(head -1 "$TMP/pdf.out")"
fi
run template "$CLI" template "$TMP/mall.xlsx"
run migrations-on-existing-db "$CLI" --db "$DB" plan --year 2027 --time-limit 2

# 3. many patients: the planner solves the doctors in parallel (spawned worker processes)
if [ "${CHECK_PARALLEL:-1}" != 0 ]; then
  "$PY" packaging/make_big_workbook.py "$TMP/big.xlsx" 1500
  run import-big "$CLI" --db "$TMP/big.sqlite" import "$TMP/big.xlsx"
  t0=$(now)
  "$CLI" --db "$TMP/big.sqlite" plan --year 2027 --time-limit 4 --json \
    >"$TMP/big.out" 2>"$TMP/big.err" &
  pid=$!
  workers=0
  while kill -0 "$pid" 2>/dev/null; do
    n=$(pgrep -P "$pid" -f multiprocessing-fork | wc -l)
    [ "$n" -gt "$workers" ] && workers=$n
    sleep 0.5
  done
  wait "$pid"; status=$?; t1=$(now)
  if [ "$status" = 0 ] && "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); \
      assert len(d['appointments']) == 1500" "$TMP/big.out"; then
    ok "plan med 1500 patienter, $workers arbetsprocesser ($(secs "$t0" "$t1") s)"
  else
    fail "plan med 1500 patienter (status $status)"; tail -15 "$TMP/big.err"
  fi
fi

# 3b. PostgreSQL through the bundled psycopg, when a server can be started (as the tests do)
if [ "${CHECK_POSTGRES:-1}" != 0 ] && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if "$PY" - "$CLI" >"$TMP/pg.out" 2>&1 <<'PYEOF'
import subprocess, sys
sys.path.insert(0, "tests")
from pg import PostgresCluster, find_bindir
cluster = PostgresCluster(find_bindir())
cluster.start()
try:
    url = cluster.new_database()
    for args in (["demo", "--year", "2027"], ["plan", "--year", "2027", "--time-limit", "2"]):
        r = subprocess.run([sys.argv[1], "--db", url, *args], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr[-500:]
finally:
    cluster.stop()
PYEOF
  then ok "PostgreSQL (psycopg i bygget): demo och plan"
  else fail "PostgreSQL"; tail -15 "$TMP/pg.out"; fi
fi

# 4. the window, offscreen: first start on an empty database, then on the demo database
smoke() { # smoke NAME DB
  local name=$1 db=$2
  t0=$(now)
  LAKARROND_SMOKE_TEST=1 timeout 90 "$GUI" --db "$db" >"$TMP/$name.out" 2>"$TMP/$name.err"
  local status=$?; t1=$(now)
  if [ "$status" = 0 ] && grep -q "smoke: main window shown" "$TMP/$name.err"; then
    ok "fönstret ($name), hela körningen $(secs "$t0" "$t1") s:"
    grep "^smoke:" "$TMP/$name.err" | sed 's/^/      /'
    if grep -q "smoke: buttons: .*Yes" "$TMP/$name.err"; then
      fail "dialogknapparna är på engelska (qtbase_sv.qm saknas i bygget, eller appen"\
        "anropar inte lakarrond.qt_translations.install_swedish_translations(app))"
    fi
  elif grep -qi "traceback" "$TMP/$name.err"; then
    fail "fönstret ($name) (status $status)"; tail -20 "$TMP/$name.err"
  else
    fail "fönstret ($name): inget huvudfönster (status $status)"; tail -20 "$TMP/$name.err"
  fi
}
smoke window-empty-db "$TMP/empty.sqlite"
smoke window-demo-db "$DB"

echo
if [ "$failures" = 0 ]; then echo "Alla kontroller av det frysta programmet gick igenom."
else echo "$failures kontroll(er) misslyckades."; fi
[ "$failures" = 0 ]
