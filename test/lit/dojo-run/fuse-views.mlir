// Matmul groups see through views (dojo-tile): a ResNet bottleneck on
// NHWC images (1x1 reduce + bias + ReLU, 3x3 + bias + ReLU as a window
// product, 1x1 expand + bias, + residual, ReLU). The convolutions'
// results are 4-D views of their [positions, channels] products, and the
// 3x3's is also sliced to the valid positions; the ReLUs and the residual
// add act on those views. Every one of them is fused into the kernel of
// the product before it: the ops are rebuilt on the [positions, channels]
// tile (the residual operand viewed likewise, a ReLU after the slice
// moved before it, which the kernel's crop then folds), so the block is
// three kernels (plus the bias casts) and no elementwise kernel.
// Bit-exact against the reference on every preset.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s
// A batch norm after a convolution, its parameters computed after it (as
// the importers emit them): they move before the product, and the whole
// norm and the ReLU join the convolution's epilogue:
// RUN: dojo-run %S/Inputs/fuse-views-bn.mlir --target=tiny --verify | FileCheck %s
// RUN: dojo-run %S/Inputs/fuse-views-bn.mlir --target=d1 --verify --seed 5 | FileCheck %s
// RUN: dojo-opt %S/Inputs/fuse-views-bn.mlir "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile))" | FileCheck %s --check-prefix=BN
// BN: dojo.kernel grid [1]
// BN: dojo.cast
// BN-NEXT: dojo.add
// BN-NEXT: dojo.rsqrt
// BN: dojo.kernel
// BN: dojo.matmul
// BN-NEXT: dojo.cast
// BN-NEXT: dojo.sub
// BN-NEXT: dojo.mul
// BN-NEXT: dojo.mul
// BN-NEXT: dojo.add
// BN-NEXT: dojo.cast
// BN-NEXT: dojo.relu
// BN-NEXT: dojo.yield
// BN-NOT: dojo.kernel
// Operand order kept (a sub and a div by rows after the valid-position
// slice of a window product):
// RUN: dojo-run %S/Inputs/fuse-views-sub.mlir --target=tiny --verify | FileCheck %s
// RUN: dojo-run %S/Inputs/fuse-views-sub.mlir --target=d1 --verify --seed 4 | FileCheck %s
// RUN: dojo-opt %S/Inputs/fuse-views-sub.mlir "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile))" | FileCheck %s --check-prefix=SUB
// SUB: dojo.kernel {{.*}}crop
// SUB: dojo.matmul {{.*}}window
// SUB-NEXT: dojo.add
// SUB-NEXT: dojo.cast
// SUB-NEXT: dojo.sub %{{[0-9]+}}, %arg
// SUB-NEXT: dojo.div %{{[0-9]+}}, %arg
// SUB-NEXT: dojo.yield
// SUB-NOT: dojo.kernel
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile))" | FileCheck %s --check-prefix=TILE
// TILE-LABEL: func.func @bottleneck
// TILE: dojo.kernel
// TILE: dojo.matmul
// TILE-NEXT: dojo.add
// TILE-NEXT: dojo.cast
// TILE-NEXT: dojo.relu
// TILE-NEXT: dojo.yield
// TILE: dojo.kernel {{.*}}crop = array<i64: 11, 9, 10, 8>
// TILE: dojo.matmul {{.*}}window
// TILE-NEXT: dojo.add
// TILE-NEXT: dojo.cast
// TILE-NEXT: dojo.relu
// TILE-NEXT: dojo.yield
// TILE: dojo.kernel
// TILE: dojo.matmul
// TILE-NEXT: dojo.add
// TILE-NEXT: dojo.cast
// TILE-NEXT: dojo.add
// TILE-NEXT: dojo.relu
// TILE-NEXT: dojo.yield
// TILE-NOT: dojo.kernel
// TILE-NOT: dojo.slice
// TILE: return
func.func @bottleneck(%x: tensor<2x10x8x32xbf16>, %w1: tensor<1x1x32x12xbf16>, %b1: tensor<12xbf16>,
                      %w2: tensor<3x3x12x12xbf16>, %b2: tensor<12xbf16>,
                      %w3: tensor<1x1x12x32xbf16>, %b3: tensor<32xbf16>) -> tensor<2x10x8x32xbf16> {
  %0 = dojo.conv2d %x, %w1, %b1 layout nhwc : tensor<2x10x8x32xbf16>, tensor<1x1x32x12xbf16>, tensor<12xbf16> -> tensor<2x10x8x12xbf16>
  %1 = dojo.relu %0 : tensor<2x10x8x12xbf16>
  %2 = dojo.conv2d %1, %w2, %b2 layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<2x10x8x12xbf16>, tensor<3x3x12x12xbf16>, tensor<12xbf16> -> tensor<2x10x8x12xbf16>
  %3 = dojo.relu %2 : tensor<2x10x8x12xbf16>
  %4 = dojo.conv2d %3, %w3, %b3 layout nhwc : tensor<2x10x8x12xbf16>, tensor<1x1x12x32xbf16>, tensor<32xbf16> -> tensor<2x10x8x32xbf16>
  %5 = dojo.add %4, %x : tensor<2x10x8x32xbf16>, tensor<2x10x8x32xbf16> -> tensor<2x10x8x32xbf16>
  %6 = dojo.relu %5 : tensor<2x10x8x32xbf16>
  return %6 : tensor<2x10x8x32xbf16>
}
