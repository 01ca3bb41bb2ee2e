// An MLP whose layers cannot fit a 2 KiB SRAM on any tiling of the tiny
// mesh: a located error with the core, the bytes needed and free.
// RUN: not dojo-opt %S/../Inputs/mlp_small.mlir "--dojo-pipeline=target='tiny sram_bytes=2048'" 2>&1 | FileCheck %s

// CHECK: mlp_small.mlir:{{[0-9]+}}:{{[0-9]+}}: error: kernel does not fit in SRAM: core (0, 0) needs {{[0-9]+}} bytes but only 2048 bytes are free
// CHECK: note: input tile 0: {{[0-9]+}} bytes
