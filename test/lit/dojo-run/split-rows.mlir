// A matmul group whose tiles fit no grid is split by rows (recursively, in
// halves of whole 8-row blocks) into kernels that store into one in-place
// concat; the full-tile epilogue operand is sliced the same way, the row
// broadcast is shared. Bit-exact against the reference.
// RUN: dojo-run %s --target="small sram_bytes=65536" --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny sram_bytes=65536" --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1 sram_bytes=65536" --verify | FileCheck %s
// RUN: dojo-opt %s "--dojo-pipeline=target='tiny rows=1 cols=1 sram_bytes=65536'" --mlir-print-ir-after=dojo-tile 2>&1 | FileCheck %s --check-prefix=TILE
// RUN: dojo-run %S/Inputs/tall-gelu.mlir --target="tiny rows=1 cols=1" --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// TILE: dojo.slice %arg0 offsets [0, 0] sizes [104, 300]
// TILE: dojo.kernel
// TILE: dojo.concat
func.func @f(%a: tensor<203x300xbf16>, %b: tensor<300x96xbf16>, %r: tensor<96xf32>, %s: tensor<203x96xf32>) -> tensor<203x96xbf16> {
  %0 = dojo.matmul %a, %b : tensor<203x300xbf16>, tensor<300x96xbf16> -> tensor<203x96xf32>
  %1 = dojo.add %0, %r : tensor<203x96xf32>, tensor<96xf32> -> tensor<203x96xf32>
  %2 = dojo.mul %1, %s : tensor<203x96xf32>, tensor<203x96xf32> -> tensor<203x96xf32>
  %3 = dojo.cast %2 : tensor<203x96xf32> -> tensor<203x96xbf16>
  return %3 : tensor<203x96xbf16>
}
