#!/usr/bin/env bash
# Fuzzes program loading and simulation with libFuzzer (fuzz/ProgramFuzzer.cpp).
#
#   scripts/fuzz.sh [--short] [--build-dir DIR] [-- libFuzzer args...]
#
# Builds the clang project fuzz/CMakeLists.txt (MLIR-free sources + harness,
# -fsanitize=fuzzer,address,undefined) in DIR (default
# ${DOJO_BUILD_DIR:-build}/fuzz-clang), then fuzzes, starting from the checked-in
# seed corpus fuzz/corpus (never written to) with the assembly dictionary
# fuzz/asm.dict.
#
#   --short   the ctest session: a fresh scratch corpus, 30 s, fixed seed.
#   default   a long session: FUZZ_SECONDS (default 3600) seconds, keeping the
#             grown corpus in DIR/corpus between sessions.
#
# Findings are written to DIR/artifacts/ (crash-*, leak-*, timeout-*, oom-*);
# reproduce one with  DIR/dojo-fuzz-replay DIR/artifacts/crash-...  (or with
# the fuzzer binary itself). Exit: 0 no finding, 1 a finding, 77 clang or its
# fuzzer/sanitizer runtimes are missing (run scripts/install-deps.sh).
# Environment: JOBS (default 2) for the build, FUZZ_SECONDS, CXX_FUZZ (the
# clang++ to use).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

short=0
build_dir=""
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
  --short) short=1 ;;
  --build-dir) build_dir="$2"; shift ;;
  --build-dir=*) build_dir="${1#*=}" ;;
  --) shift; extra=("$@"); break ;;
  -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
  *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
if [ -z "$build_dir" ]; then
  build_dir="${DOJO_BUILD_DIR:-build}/fuzz-clang"
  case "$build_dir" in /*) ;; *) build_dir="$ROOT/$build_dir" ;; esac
fi

# --- A clang that can link libFuzzer and the sanitizers ----------------------
CXX_FUZZ=${CXX_FUZZ:-}
if [ -z "$CXX_FUZZ" ]; then
  for c in clang++ clang++-14; do
    if command -v "$c" >/dev/null; then CXX_FUZZ=$(command -v "$c"); break; fi
  done
fi
if [ -z "$CXX_FUZZ" ]; then
  echo "fuzz.sh: SKIPPED: no clang++ (scripts/install-deps.sh installs clang-14)" >&2
  exit 77
fi
probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
echo 'extern "C" int LLVMFuzzerTestOneInput(const char *, unsigned long) { return 0; }' \
  > "$probe_dir/p.cpp"
if ! "$CXX_FUZZ" -fsanitize=fuzzer,address,undefined "$probe_dir/p.cpp" \
     -o "$probe_dir/p" 2>"$probe_dir/err"; then
  cat "$probe_dir/err" >&2
  echo "fuzz.sh: SKIPPED: $CXX_FUZZ cannot link -fsanitize=fuzzer,address,undefined" \
       "(scripts/install-deps.sh installs libclang-rt-14-dev)" >&2
  exit 77
fi

# --- Build -------------------------------------------------------------------
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S "$ROOT/fuzz" -B "$build_dir" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$CXX_FUZZ" >/dev/null
fi
ninja -C "$build_dir" -j"${JOBS:-2}" dojo-program-fuzzer dojo-fuzz-replay

# --- Fuzz --------------------------------------------------------------------
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build_dir/artifacts"
args=(-dict="$ROOT/fuzz/asm.dict" -timeout=10 -rss_limit_mb=2048
      -artifact_prefix="$build_dir/artifacts/" -print_final_stats=1)
if [ "$short" = 1 ]; then
  work="$build_dir/corpus-short"
  rm -rf "$work"
  mkdir -p "$work"
  args+=(-seed=1 -max_total_time=30)
else
  work="$build_dir/corpus"
  mkdir -p "$work"
  args+=(-max_total_time="${FUZZ_SECONDS:-3600}")
fi
before=$(ls "$build_dir/artifacts" | wc -l)
log="$build_dir/fuzz.log"
echo "fuzz.sh: $build_dir/dojo-program-fuzzer ${args[*]} ${extra[*]:-} $work $ROOT/fuzz/corpus"
echo "fuzz.sh: libFuzzer output in $log"
set +e
"$build_dir/dojo-program-fuzzer" "${args[@]}" "${extra[@]}" "$work" "$ROOT/fuzz/corpus" \
  >"$log" 2>&1
rc=$?
set -e
after=$(ls "$build_dir/artifacts" | wc -l)
grep -E '^(Done|stat::)' "$log" || true
if [ "$after" -gt "$before" ] || [ $rc -ne 0 ]; then
  grep -v '^#[0-9]' "$log" | tail -60 >&2
  if [ "$after" -gt "$before" ]; then
    echo "fuzz.sh: FINDING (exit $rc); newest artifacts in $build_dir/artifacts:" >&2
    ls -t "$build_dir/artifacts" | head -$((after - before)) >&2
    echo "fuzz.sh: reproduce with $build_dir/dojo-fuzz-replay $build_dir/artifacts/<file>" >&2
  else
    echo "fuzz.sh: the fuzzer stopped with exit $rc and no artifact (interrupted?)" >&2
  fi
  exit 1
fi
echo "fuzz.sh: no finding"
