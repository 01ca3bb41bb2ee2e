#!/usr/bin/env bash
# Installs missing Debian packages, configures build/ (once) and builds it
# (incrementally). Environment: DOJO_BUILD_DIR (default build), JOBS
# (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

BUILD_DIR=${DOJO_BUILD_DIR:-build}
JOBS=${JOBS:-2}

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DPython3_EXECUTABLE=/usr/bin/python3
fi

ninja -C "$BUILD_DIR" -j"$JOBS"
