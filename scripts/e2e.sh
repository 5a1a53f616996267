#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the front end and the app (custom-protocol,
# debug), installs tauri-driver into .tools/ if missing, runs tests/e2e under a virtual X server.
# Screenshots land in tests/e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build:ui
# The app, and the real CLI the export test re-imports the app's file with, in one invocation so
# both share one dependency build (see scripts/test.sh).
cargo build -p topica-core -p topica-cli -p topica --features topica/custom-protocol --locked
if [ ! -x .tools/bin/tauri-driver ] && ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked --root .tools
fi
export TOPICA_APP="${CARGO_TARGET_DIR:-$PWD/target}/debug/topica"
xvfb-run -a -s '-screen 0 1280x800x24' node --test --test-concurrency=1 tests/e2e/
