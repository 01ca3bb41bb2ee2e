#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer check of the MLIR-free code
# (lib/Target, lib/ISA, lib/Sim): builds dojo-unittests (which include the
# corrupt-file, fault and random-program tests) and dojo-fuzz-replay with
# -fsanitize=address,undefined in a separate build directory, then runs
#
#   1. every GoogleTest test, and
#   2. the fuzzing seed corpus fuzz/corpus (valid, truncated and bit-flipped
#      program files, binary and assembly) through the fuzz harness,
#
# plus any extra files or directories given as arguments (e.g. a grown
# fuzzing corpus: scripts/asan.sh build/fuzz/corpus). Exits non-zero on any
# test failure or sanitizer report. Not part of ctest: it is a second build
# of the simulator and its tests (several minutes on 2 cores); run it before
# committing changes to program loading or the simulator. docs/testing.md.
#
# Environment: DOJO_ASAN_BUILD_DIR (default build-asan), JOBS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${DOJO_ASAN_BUILD_DIR:-build-asan}
JOBS=${JOBS:-2}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS="$SAN" \
    -DCMAKE_EXE_LINKER_FLAGS="$SAN" \
    -DCMAKE_SHARED_LINKER_FLAGS="$SAN" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit \
    -DPython3_EXECUTABLE=/usr/bin/python3 >/dev/null
fi
# Only the MLIR-free targets: nothing that links LLVM/MLIR is rebuilt.
ninja -C "$BUILD_DIR" -j"$JOBS" dojo-unittests dojo-fuzz-replay

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
echo "asan.sh: dojo-unittests"
"$BUILD_DIR/bin/dojo-unittests" --gtest_brief=1 || status=1
echo "asan.sh: fuzz corpus replay"
# One line per file on stderr (the last one names the culprit of a crash).
if ! "$BUILD_DIR/bin/dojo-fuzz-replay" fuzz/corpus "$@" 2>"$BUILD_DIR/replay.log"; then
  tail -40 "$BUILD_DIR/replay.log" >&2
  status=1
fi
if [ $status -ne 0 ]; then
  echo "asan.sh: FAILED" >&2
  exit 1
fi
echo "asan.sh: OK (all tests pass, no sanitizer report)"
