// Pooling and norms through dojo-decompose: NCHW max pooling (a -inf pad,
// window slices, a max chain), NHWC average pooling counting only real
// inputs (the window sums divided by the same sums over ones) and counting
// the padding, global average (NCHW, by batch transposes and a row-wise
// mean) and global max pooling, and an NCHW inference batch norm (FP32
// elementwise steps). Odd sizes; one core up to the d1 mesh; bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%x: tensor<2x5x9x7xbf16>, %y: tensor<1x9x7x3xf32>, %m: tensor<5xbf16>, %v: tensor<5xbf16>, %g: tensor<5xbf16>, %b: tensor<5xbf16>, %n: tensor<3x5x7xbf16>)
    -> (tensor<2x5x5x4xbf16>, tensor<1x5x4x3xf32>, tensor<1x5x4x3xf32>, tensor<2x5x1x1xbf16>, tensor<1x1x1x3xf32>, tensor<2x5x9x7xbf16>, tensor<3x5x7xbf16>) {
  %0 = dojo.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x5x9x7xbf16> -> tensor<2x5x5x4xbf16>
  %1 = dojo.avg_pool2d %y layout nhwc {kernel = array<i64: 3, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x9x7x3xf32> -> tensor<1x5x4x3xf32>
  %2 = dojo.avg_pool2d %y layout nhwc {kernel = array<i64: 3, 2>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, count_include_pad} : tensor<1x9x7x3xf32> -> tensor<1x5x4x3xf32>
  %3 = dojo.global_avg_pool2d %x : tensor<2x5x9x7xbf16> -> tensor<2x5x1x1xbf16>
  %4 = dojo.global_max_pool2d %y layout nhwc : tensor<1x9x7x3xf32> -> tensor<1x1x1x3xf32>
  %5 = dojo.batch_norm %x, %m, %v, %g, %b {epsilon = 1.0e-3 : f32} : tensor<2x5x9x7xbf16>, tensor<5xbf16>
  %6 = dojo.batch_norm %n, %m, %v, %g, %b {epsilon = 1.0e-3 : f32} : tensor<3x5x7xbf16>, tensor<5xbf16>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x5x5x4xbf16>, tensor<1x5x4x3xf32>, tensor<1x5x4x3xf32>, tensor<2x5x1x1xbf16>, tensor<1x1x1x3xf32>, tensor<2x5x9x7xbf16>, tensor<3x5x7xbf16>
}
