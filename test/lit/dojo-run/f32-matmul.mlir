// FP32 matmuls on the vector unit (the matrix unit takes BF16 and CFP8):
// C = +0, then C = C + fl(A[:, p] * B[p, :]) for ascending p, as the
// reference computes it. A fused bias/ReLU epilogue, an FP32 convolution
// (im2col + FP32 matmul), a batched FP32 matmul, and an FP32 matmul with a
// BF16 result (one rounding). Odd sizes, one core up to d1; bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA-NOT: dojoisa.mm
// ISA: dojoisa.vsel
// ISA: dojoisa.vtrans
func.func @f(%a: tensor<13x21xf32>, %b: tensor<21x9xf32>, %c: tensor<9xf32>, %x: tensor<2x7x6x3xf32>, %w: tensor<3x3x3x5xf32>, %p: tensor<3x5x7xf32>, %q: tensor<3x7x4xf32>)
    -> (tensor<13x9xf32>, tensor<2x5x4x5xf32>, tensor<3x5x4xf32>, tensor<13x9xbf16>) {
  %0 = dojo.matmul %a, %b : tensor<13x21xf32>, tensor<21x9xf32> -> tensor<13x9xf32>
  %1 = dojo.add %0, %c : tensor<13x9xf32>, tensor<9xf32> -> tensor<13x9xf32>
  %2 = dojo.relu %1 : tensor<13x9xf32>
  %3 = dojo.conv2d %x, %w layout nhwc {padding = array<i64: 0, 0, 0, 0>} : tensor<2x7x6x3xf32>, tensor<3x3x3x5xf32> -> tensor<2x5x4x5xf32>
  %4 = dojo.batch_matmul %p, %q : tensor<3x5x7xf32>, tensor<3x7x4xf32> -> tensor<3x5x4xf32>
  %5 = dojo.matmul %a, %b : tensor<13x21xf32>, tensor<21x9xf32> -> tensor<13x9xbf16>
  return %2, %3, %4, %5 : tensor<13x9xf32>, tensor<2x5x4x5xf32>, tensor<3x5x4xf32>, tensor<13x9xbf16>
}
