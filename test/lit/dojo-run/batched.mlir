// Batched kernels: attention-shaped batch_matmuls with a transposed rhs
// (a batched transpose kernel, then a batched matmul kernel, one grid point
// per batch and row block; block addresses use floordiv / mod of the grid
// point). On one core the batches fall back to per-batch matmuls and an
// in-place concat. Odd sizes; bit-exact against the reference.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA: dojoisa.divu
// ISA: dojoisa.remu
func.func @f(%a: tensor<3x6x10xbf16>, %b: tensor<3x8x10xbf16>, %q: tensor<12x33x16xbf16>, %k: tensor<12x33x16xbf16>) -> (tensor<3x6x8xbf16>, tensor<12x33x33xf32>) {
  %0 = dojo.batch_matmul %a, %b {transpose_rhs} : tensor<3x6x10xbf16>, tensor<3x8x10xbf16> -> tensor<3x6x8xbf16>
  %1 = dojo.batch_matmul %q, %k {transpose_rhs} : tensor<12x33x16xbf16>, tensor<12x33x16xbf16> -> tensor<12x33x33xf32>
  return %0, %1 : tensor<3x6x8xbf16>, tensor<12x33x33xf32>
}
