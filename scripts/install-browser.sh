#!/usr/bin/env bash
# Installs what the browser tests need besides requirements/dev.txt (Playwright for Python):
# Debian's Chromium and the axe-core checker from npm; does nothing when nothing changed.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.14.1
TOOLS=var/browser-tools
STAMP="$TOOLS/.stamp"
CHROMIUM=/usr/bin/chromium

wanted=$(cat scripts/install-browser.sh | sha256sum | cut -d' ' -f1)
if [ -x "$CHROMIUM" ] && [ -f "$TOOLS/node_modules/axe-core/axe.min.js" ] \
    && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$wanted" ]; then
    exit 0
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else
        echo "Fehler: für '$*' werden Root-Rechte gebraucht (sudo fehlt). Bitte Chromium und npm selbst installieren: apt-get install chromium npm" >&2
        exit 1
    fi
}

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "Fehler: ${missing[*]} fehlt und apt-get ist nicht vorhanden. Bitte ${missing[*]} installieren (Chromium unter $CHROMIUM)." >&2
        exit 1
    fi
    echo "==> Installiere ${missing[*]} mit apt-get (einmalig)."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" fonts-dejavu-core >/dev/null
fi

echo "==> Installiere axe-core $AXE_VERSION nach $TOOLS (npm)."
mkdir -p "$TOOLS"
npm install --silent --no-audit --no-fund --no-save --prefix "$TOOLS" "axe-core@$AXE_VERSION"
echo "$wanted" > "$STAMP"
