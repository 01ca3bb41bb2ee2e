#!/usr/bin/env bash
# Builds everything, then compiles the bundled two-layer MLP
# (examples/mlp.mlir: batch 256, 512 -> 1024 -> 512, BF16) for the d1
# preset, runs it on the simulator, checks it against the reference
# interpreter and prints the report.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh

BUILD_DIR=${DOJO_BUILD_DIR:-build}
exec "$BUILD_DIR/bin/dojo-run" examples/mlp.mlir --target=d1 --verify --report
