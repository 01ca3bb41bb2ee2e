// Depthwise convolutions on the vector unit, FP32 products summed in
// (kh, kw) order from +0. Unit stride with at most 3/2 as many padded
// positions as outputs: over the flattened padded input (one more zero
// image), each tap a contiguous run of its rows (an alias, no copy), one
// slice of the valid positions at the end; else (stride 2, or a small
// image) one strided window copy per tap. dojo-tile takes every tap's
// cast and product into the kernel of the sum (side operands of a chain of
// elementwise ops), so a convolution is one kernel where that fits. With bias, dilation, FP32, odd
// sizes; one core up to d1, bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-decompose | FileCheck %s --check-prefix=IR
// RUN: dojo-opt %s "--dojo-pipeline=target=d1" --mlir-print-ir-after=dojo-tile -o /dev/null 2>&1 | FileCheck %s --check-prefix=TILE
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact

// TILE-LABEL: func.func @f
// The first convolution: one kernel, nine products, the bias, one rounding.
// TILE: dojo.kernel grid [210]
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.mul {{.*}} : tensor<2x24xf32>, tensor<1x24xf32> -> tensor<2x24xf32>
// TILE-NOT: dojo.yield
// TILE: dojo.cast {{.*}} : tensor<2x24xf32> -> tensor<2x24xbf16>
// TILE-NEXT: dojo.yield

// IR-LABEL: func.func @f
// The 12x13 image padded to 14x15, with one more zero image: 3 x 210 rows.
// IR: dojo.pad %arg0 low [0, 1, 1, 0] high [1, 1, 1, 0] : tensor<2x12x13x24xbf16> -> tensor<3x14x15x24xbf16>
// IR: dojo.reshape {{.*}} -> tensor<630x24xbf16>
// Tap (0, 0) and the last tap (2, 2), at row 2 * 15 + 2: runs of 420 rows.
// IR: dojo.slice {{.*}} offsets [0, 0] sizes [420, 24] strides [1, 1] : tensor<630x24xbf16> -> tensor<420x24xbf16>
// IR: dojo.slice {{.*}} offsets [32, 0] sizes [420, 24] strides [1, 1] : tensor<630x24xbf16> -> tensor<420x24xbf16>
// The valid positions.
// IR: dojo.slice {{.*}} offsets [0, 0, 0, 0] sizes [2, 12, 13, 24] strides [1, 1, 1, 1] : tensor<2x14x15x24xbf16> -> tensor<2x12x13x24xbf16>
// Dilation 2: taps at rows kh * 2 * 24 + kw * 2 (the last at 100).
// IR: dojo.slice {{.*}} offsets [100, 0] sizes [576, 16] strides [1, 1] : tensor<1152x16xf32> -> tensor<576x16xf32>
// Stride 2: window copies.
// IR: dojo.slice {{.*}} offsets [0, 2, 2, 0] sizes [2, 6, 7, 24] strides [1, 2, 2, 1]
func.func @f(%x: tensor<2x12x13x24xbf16>, %w: tensor<3x3x1x24xbf16>, %b: tensor<24xbf16>,
             %y: tensor<1x20x20x16xf32>, %v: tensor<3x3x1x16xf32>)
    -> (tensor<2x12x13x24xbf16>, tensor<1x20x20x16xf32>, tensor<2x6x7x24xbf16>) {
  %0 = dojo.conv2d %x, %w, %b layout nhwc {padding = array<i64: 1, 1, 1, 1>, groups = 24 : i64} : tensor<2x12x13x24xbf16>, tensor<3x3x1x24xbf16>, tensor<24xbf16> -> tensor<2x12x13x24xbf16>
  %1 = dojo.conv2d %y, %v layout nhwc {padding = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>, groups = 16 : i64} : tensor<1x20x20x16xf32>, tensor<3x3x1x16xf32> -> tensor<1x20x20x16xf32>
  %2 = dojo.conv2d %x, %w layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, groups = 24 : i64} : tensor<2x12x13x24xbf16>, tensor<3x3x1x24xbf16> -> tensor<2x6x7x24xbf16>
  return %0, %1, %2 : tensor<2x12x13x24xbf16>, tensor<1x20x20x16xf32>, tensor<2x6x7x24xbf16>
}
