#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian/Ubuntu machine with Rust and Node.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh

echo "== Rust: topica-core unit, integration and doc tests" >&2
cargo test -p topica-core --locked 2>&1

echo "== Cross-tool: third-party parsers (bibtexparser, pybtex, rispy, citeproc-py, biber, bibtex) read our exports" >&2
cargo build -p topica-core --locked --bin topica-cli 2>&1
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET_DIR/crosstool-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -r tests/crosstool/requirements.txt
TOPICA_CLI="$(cd "$TARGET_DIR" && pwd)/debug/topica-cli" "$VENV/bin/python" -m pytest -q tests/crosstool 2>&1
