#!/usr/bin/env bash
# Installs the Debian packages the project builds and tests with.
# Idempotent: does nothing when every package is already present.
# clang-14 and libclang-rt-14-dev (libFuzzer, ASan, UBSan runtimes) are for
# scripts/fuzz.sh only; the project itself builds with g++.
# python3-torch, python3-torchvision, python3-onnx and libonnx-testdata are
# for the Python frontend (importers, model tests, ONNX conformance runner).
set -euo pipefail

PKGS=(
  cmake ninja-build g++ ccache
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev libabsl-dev pybind11-dev
  python3-dev python3-numpy python3-pytest
  libopenblas0-pthread
  python3-torch python3-torchvision python3-onnx libonnx-testdata
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "[install-deps] installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# libmlir-22-dev conflicts with other libmlir-NN-dev packages.
others=$(dpkg-query -W -f='${Package}\n' 'libmlir-*-dev' 2>/dev/null | grep -v '^libmlir-22-dev$' || true)
if [ -n "$others" ]; then $SUDO apt-get remove -y $others; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
