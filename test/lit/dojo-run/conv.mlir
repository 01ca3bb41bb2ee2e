// General convolutions through dojo-decompose: NHWC 3x3 stride 2 with
// padding and bias (pad + window slices + im2col concat + matmul + FP32
// bias), NCHW grouped with asymmetric padding (to NHWC by transposes),
// depthwise on the vector unit, a dilated conv, and a strided 1x1 (one
// window, no concat). Odd sizes throughout. Bit-exact against the
// reference interpreter's conv2d on one core up to the d1 mesh.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify --seed 4 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%x: tensor<2x9x7x5xbf16>, %w: tensor<3x3x5x6xbf16>, %b: tensor<6xbf16>,
             %y: tensor<1x4x11x10xbf16>, %v: tensor<8x2x3x3xbf16>, %d: tensor<3x3x1x5xbf16>,
             %e: tensor<1x1x5x3xbf16>)
    -> (tensor<2x5x4x6xbf16>, tensor<1x8x6x4xbf16>, tensor<2x9x7x5xbf16>, tensor<2x5x3x6xbf16>, tensor<2x5x4x3xbf16>) {
  %0 = dojo.conv2d %x, %w, %b layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x9x7x5xbf16>, tensor<3x3x5x6xbf16>, tensor<6xbf16> -> tensor<2x5x4x6xbf16>
  %1 = dojo.conv2d %y, %v {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 1, 0>, groups = 2} : tensor<1x4x11x10xbf16>, tensor<8x2x3x3xbf16> -> tensor<1x8x6x4xbf16>
  %2 = dojo.conv2d %x, %d layout nhwc {padding = array<i64: 1, 1, 1, 1>, groups = 5} : tensor<2x9x7x5xbf16>, tensor<3x3x1x5xbf16> -> tensor<2x9x7x5xbf16>
  %3 = dojo.conv2d %x, %w, %b layout nhwc {dilations = array<i64: 2, 2>} : tensor<2x9x7x5xbf16>, tensor<3x3x5x6xbf16>, tensor<6xbf16> -> tensor<2x5x3x6xbf16>
  %4 = dojo.conv2d %x, %e layout nhwc {strides = array<i64: 2, 2>} : tensor<2x9x7x5xbf16>, tensor<1x1x5x3xbf16> -> tensor<2x5x4x3xbf16>
  return %0, %1, %2, %3, %4 : tensor<2x5x4x6xbf16>, tensor<1x8x6x4xbf16>, tensor<2x9x7x5xbf16>, tensor<2x5x3x6xbf16>, tensor<2x5x4x3xbf16>
}
