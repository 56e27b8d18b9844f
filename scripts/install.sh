#!/usr/bin/env bash
# Installs the project into .venv/ at the repository root; does nothing when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.asa-install-stamp"

find_python() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    for candidate in python3.11 python3.10 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then echo "$candidate"; return; fi
    done
    echo "Fehler: kein Python gefunden. Bitte Python 3.10 oder 3.11 installieren oder PYTHON=/pfad/zu/python setzen." >&2
    exit 1
}

wanted=$(cat requirements/*.txt pyproject.toml scripts/install.sh | sha256sum | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
    exit 0
fi

PY=$(find_python)
version=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case "$version" in
    3.10|3.11) ;;
    *) echo "Fehler: $PY ist Python $version; benötigt wird Python 3.10 oder 3.11 (PYTHON=... setzen)." >&2; exit 1 ;;
esac

echo "==> Installiere in $VENV (Python $version); beim ersten Mal etwa 2,5 GB und einige Minuten."
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
"${PIP[@]}" install --quiet --upgrade "pip==23.2.1" "setuptools==70.3.0" "wheel==0.43.0"
"${PIP[@]}" install --quiet -r requirements/runtime.txt -r requirements/dev.txt
# rasa 3.6.21 and rasa-sdk 3.6.2 declare Python <3.11; their dependencies were installed above.
"${PIP[@]}" install --quiet --no-deps --ignore-requires-python -r requirements/rasa.txt
"${PIP[@]}" install --quiet --no-deps --no-build-isolation -e .
echo "$wanted" > "$STAMP"
echo "==> Installation fertig."
