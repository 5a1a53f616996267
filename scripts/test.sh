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
