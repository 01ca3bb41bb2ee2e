// A matmul group whose B column block alone is more than half a core's
// SRAM on the widest grid (K = 768, N = 3001 on tiny: 768 x 1501 bf16 =
// 2.3 MB per core) is split by columns: B, the bias row and the full-tile
// residual are sliced, each half is tiled on its own (and split again),
// and a concat along columns joins them. Bit-exact against the reference
// (before the split this was an SRAM overflow error on tiny).
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=tiny --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// TILE: dojo.slice %arg1 offsets [0, 0] sizes [768, 1504]
// TILE: dojo.slice %arg1 offsets [0, 1504] sizes [768, 1497]
// TILE: dojo.concat {{.*}} axis 1 : tensor<70x1504xbf16>, tensor<70x1497xbf16> -> tensor<70x3001xbf16>
func.func @f(%x: tensor<70x768xbf16>, %w: tensor<768x3001xbf16>, %b: tensor<3001xbf16>, %r: tensor<70x3001xbf16>) -> tensor<70x3001xbf16> {
  %0 = dojo.matmul %x, %w : tensor<70x768xbf16>, tensor<768x3001xbf16> -> tensor<70x3001xbf16>
  %1 = dojo.add %0, %b : tensor<70x3001xbf16>, tensor<3001xbf16> -> tensor<70x3001xbf16>
  %2 = dojo.gelu %1 approximate tanh : tensor<70x3001xbf16>
  %3 = dojo.add %2, %r : tensor<70x3001xbf16>, tensor<70x3001xbf16> -> tensor<70x3001xbf16>
  return %3 : tensor<70x3001xbf16>
}
