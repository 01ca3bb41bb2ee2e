// 1x1 convolutions (unit strides, no padding, one group) become matmuls over
// aliased reshapes: NHWC with a bias (added in FP32 before the one rounding,
// as the conv's reference semantics say), and NCHW at batch 1. Bit-exact
// against the reference interpreter's conv2d on small and d1.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 6 | FileCheck %s
// RUN: dojo-opt %s --dojo-set-target=target=small --dojo-decompose --dojo-tile | FileCheck %s --check-prefix=TILE
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// TILE-NOT: dojo.conv2d
// TILE: dojo.reshape
func.func @f(%x: tensor<2x7x5x24xbf16>, %w: tensor<1x1x24x40xbf16>, %b: tensor<40xbf16>,
             %y: tensor<1x24x9x7xbf16>, %v: tensor<16x24x1x1xbf16>)
    -> (tensor<2x7x5x40xbf16>, tensor<1x16x9x7xbf16>) {
  %0 = dojo.conv2d %x, %w, %b layout nhwc : tensor<2x7x5x24xbf16>, tensor<1x1x24x40xbf16>, tensor<40xbf16> -> tensor<2x7x5x40xbf16>
  %1 = dojo.conv2d %y, %v : tensor<1x24x9x7xbf16>, tensor<16x24x1x1xbf16> -> tensor<1x16x9x7xbf16>
  return %0, %1 : tensor<2x7x5x40xbf16>, tensor<1x16x9x7xbf16>
}
