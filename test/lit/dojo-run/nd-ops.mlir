// Ops of rank > 2 and over other axes through dojo-decompose: batch_matmul
// (per-batch matmuls over free contiguous slices, a broadcast batch and a
// transposed operand), softmax over a leading and the last axis, sums and
// maxima over several axes (with keepdim) and all axes, a rank-4 transpose
// moving the last axis (a rank-2 transpose then a strided copy), a rank-4
// add with a row broadcast, layer_norm over the last two axes, and a matmul
// with a transposed lhs. One core up to the d1 mesh; bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%a: tensor<3x5x12xbf16>, %b: tensor<3x12x7xbf16>, %c: tensor<1x7x12xbf16>, %x: tensor<2x3x5x7xf32>, %r: tensor<7xf32>, %g: tensor<5x7xf32>, %a0: tensor<12x5xbf16>, %b0: tensor<12x12xbf16>)
    -> (tensor<3x5x7xf32>, tensor<3x5x7xbf16>, tensor<2x3x5x7xf32>, tensor<2x3x5x7xf32>, tensor<2x5xf32>, tensor<1x3x1x7xf32>, tensor<7x2x5x3xf32>, tensor<2x3x5x7xf32>, tensor<2x3x5x7xf32>, tensor<5x12xbf16>, tensor<f32>) {
  %0 = dojo.batch_matmul %a, %b : tensor<3x5x12xbf16>, tensor<3x12x7xbf16> -> tensor<3x5x7xf32>
  %1 = dojo.batch_matmul %a, %c {transpose_rhs} : tensor<3x5x12xbf16>, tensor<1x7x12xbf16> -> tensor<3x5x7xbf16>
  %2 = dojo.softmax %x axis 1 : tensor<2x3x5x7xf32>
  %3 = dojo.softmax %x axis 3 : tensor<2x3x5x7xf32>
  %4 = dojo.reduce_sum %x axes [1, 3] : tensor<2x3x5x7xf32> -> tensor<2x5xf32>
  %5 = dojo.reduce_max %x axes [0, 2] keepdim : tensor<2x3x5x7xf32> -> tensor<1x3x1x7xf32>
  %6 = dojo.transpose %x perm [3, 0, 2, 1] : tensor<2x3x5x7xf32> -> tensor<7x2x5x3xf32>
  %7 = dojo.add %x, %r : tensor<2x3x5x7xf32>, tensor<7xf32> -> tensor<2x3x5x7xf32>
  %8 = dojo.layer_norm %x scale %g : tensor<5x7xf32> bias %g : tensor<5x7xf32> axis 2 : tensor<2x3x5x7xf32>
  %9 = dojo.matmul %a0, %b0 {transpose_lhs} : tensor<12x5xbf16>, tensor<12x12xbf16> -> tensor<5x12xbf16>
  %10 = dojo.reduce_mean %x axes [0, 1, 2, 3] : tensor<2x3x5x7xf32> -> tensor<f32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<3x5x7xf32>, tensor<3x5x7xbf16>, tensor<2x3x5x7xf32>, tensor<2x3x5x7xf32>, tensor<2x5xf32>, tensor<1x3x1x7xf32>, tensor<7x2x5x3xf32>, tensor<2x3x5x7xf32>, tensor<2x3x5x7xf32>, tensor<5x12xbf16>, tensor<f32>
}
