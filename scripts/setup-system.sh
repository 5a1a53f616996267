#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Topica needs to build, test and run (idempotent).
# Called by start.sh and test.sh; safe to run again.
set -euo pipefail
PACKAGES=(
  # Tauri 2 on Linux
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev
  librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev file
  # end-to-end tests of the real window
  xvfb xauth webkit2gtk-driver xdotool imagemagick fonts-dejavu-core
  # reading what the app put on the clipboard (plain and rich text)
  xclip
  # a session bus for the single-instance test (a second launch finds the first over D-Bus)
  dbus-daemon
  # cross-tool tests: Python for third-party parsers
  python3 python3-venv python3-pip
  # cross-tool tests of bibliography exports: biber (biblatex data model) and bibtex with plain.bst
  biber texlive-binaries texlive-base
  # cross-tool test of CSL-JSON: pandoc's citeproc reads it
  pandoc
  # the PDF benchmark compares our text extraction with poppler's pdftotext
  poppler-utils
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
