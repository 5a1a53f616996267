#!/usr/bin/env bash
# End-to-end tests of the real desktop app: builds the front end and the app (custom-protocol,
# debug), installs tauri-driver into .tools/ if missing, runs tests/e2e under a virtual X server.
# Screenshots land in tests/e2e/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build:ui
cargo build -p topica --features custom-protocol --locked
# The export test re-imports what the app wrote with the real CLI.
cargo build -p topica-core --bin topica-cli --locked
if [ ! -x .tools/bin/tauri-driver ] && ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --locked --root .tools
fi
export TOPICA_APP="${CARGO_TARGET_DIR:-$PWD/target}/debug/topica"
xvfb-run -a -s '-screen 0 1280x800x24' node --test --test-concurrency=1 tests/e2e/
