#!/usr/bin/env bash
# Installs Debian's nginx for the scale-out profile (`make run-scaled`, `make test`) when it is
# missing. Does nothing when nginx is already there. nginx is only installed here, never started
# as a system service: `asa-bot run-scaled` runs it as its own child process.
set -euo pipefail

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "Fehler: nginx fehlt und apt-get ist nicht vorhanden. Bitte nginx mit dem Paketmanager des Systems installieren." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "Fehler: nginx fehlt. Bitte einmal als root installieren: apt-get install nginx" >&2
    exit 1
fi

echo "==> Installiere nginx (Debian-Paket) für das Scale-out-Profil."
export DEBIAN_FRONTEND=noninteractive
# Only refresh the package lists when the package is unknown to them.
if ! apt-cache show nginx >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq
fi
install() { "${SUDO[@]}" apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
# A package list older than the mirror names files that are gone: refresh once and retry.
install || { "${SUDO[@]}" apt-get update -qq && install; }
echo "==> nginx installiert: $(command -v nginx || echo /usr/sbin/nginx)"
