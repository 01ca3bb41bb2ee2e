#!/usr/bin/env bash
# Builds everything, then runs every test suite (lit, GoogleTest, pytest)
# through one ctest call. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh

BUILD_DIR=${DOJO_BUILD_DIR:-build}
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${JOBS:-2}"
