#!/usr/bin/env bash
# The whole test suite, from a fresh clone on a fresh Debian/Ubuntu machine with Rust and Node.
#
# Every cargo invocation names both packages with the app's features (`$PKGS`): Cargo resolves
# dependency features per invocation, and topica-core alone turns on fewer features of serde,
# syn, regex… than the app does, so testing it alone compiled about 90 crates a second time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
# Semantic mode's model, where the tests find it (the app under test gets its own empty data
# folder and so no model, but for the semantic E2E test, which downloads this one from a local hub).
export TOPICA_MODEL_DIR="${TOPICA_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/io.topica.desktop/models/all-MiniLM-L6-v2}"
bash scripts/install-model.sh
# A one-shot CI build gains nothing from incremental caches, which cost gigabytes of disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"; fi
PKGS=(-p topica-model -p topica-formats -p topica-search -p topica-topics -p topica-store -p topica-pdf -p topica-embed -p topica-core -p topica-cli -p topica --features topica/custom-protocol --locked)

echo "== Gates: Rust formatting (rustfmt)" >&2
cargo fmt --all --check

echo "== Desktop: npm packages, front-end type check (svelte-check), unit tests (Vitest), build" >&2
npm ci --no-audit --no-fund
npm run check:ui
npm run test:ui
# The shell embeds ui/dist at compile time, so it is built before any cargo step.
npm run build:ui

echo "== Rust: topica-model, -formats, -search, -topics, -store, -pdf, -embed, -core and -cli unit, integration and doc tests; shell unit tests (IPC error shape, settings)" >&2
cargo test "${PKGS[@]}" 2>&1

echo "== Gates: clippy on every target, warnings denied" >&2
cargo clippy "${PKGS[@]}" --all-targets -- -D warnings 2>&1

echo "== Desktop: end-to-end tests of the real app under Xvfb (tauri-driver + WebKitWebDriver)" >&2
bash scripts/e2e.sh

echo "== Cross-tool: third-party parsers (bibtexparser, pybtex, rispy, citeproc-py, pandoc, biber, bibtex) read our exports" >&2
cargo build "${PKGS[@]}" 2>&1
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET_DIR/crosstool-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q -r tests/crosstool/requirements.txt
TOPICA_CLI="$(cd "$TARGET_DIR" && pwd)/debug/topica-cli" "$VENV/bin/python" -m pytest -q tests/crosstool 2>&1
