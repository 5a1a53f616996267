#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian/Ubuntu machine with Rust and Node.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh

echo "== Rust: topica-core unit, integration and doc tests" >&2
cargo test -p topica-core --locked 2>&1

echo "== Desktop: npm packages, front-end unit tests (Vitest)" >&2
npm ci --no-audit --no-fund
npm run test:ui
npm run build:ui
echo "== Desktop: shell unit tests (IPC error shape, settings)" >&2
cargo test -p topica --features custom-protocol --locked --lib 2>&1
echo "== Desktop: end-to-end tests of the real app under Xvfb (tauri-driver + WebKitWebDriver)" >&2
bash scripts/e2e.sh
echo "== Cross-tool: third-party parsers (bibtexparser, pybtex, rispy, citeproc-py, biber, bibtex) read our exports" >&2
cargo build -p topica-core --locked --bin topica-cli 2>&1
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET_DIR/crosstool-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -r tests/crosstool/requirements.txt
TOPICA_CLI="$(cd "$TARGET_DIR" && pwd)/debug/topica-cli" "$VENV/bin/python" -m pytest -q tests/crosstool 2>&1

