// A matmul that cannot fit a 2 KiB SRAM however dojo-tile splits it (rows
// down to one, columns down to 8; one A row of K = 40000 is 80 KB): a
// located error with the core, the bytes needed and free, and a note per
// buffer. The small MLP, by contrast, is split until it fits (and runs
// bit-exact: dojo-run/errors.test does the same with 64 KiB).
// RUN: not dojo-opt %S/../dojo-run/Inputs/long-k.mlir "--dojo-pipeline=target='tiny sram_bytes=2048'" 2>&1 | FileCheck %s
// RUN: dojo-run %S/../Inputs/mlp_small.mlir --target="tiny sram_bytes=2048" --verify | FileCheck %s --check-prefix=FITS

// CHECK: long-k.mlir:5:8: error: kernel does not fit in SRAM: core (0, 0) needs {{[0-9]+}} bytes but only 2048 bytes are free
// CHECK: note: input tile 0: {{[0-9]+}} bytes
// FITS: verdict: PASS (max abs err 0, max rel err 0), bit-exact
