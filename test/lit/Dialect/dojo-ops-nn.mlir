// RUN: dojo-opt %s | FileCheck %s
// Round trip: print, parse again, print the same.
// RUN: dojo-opt %s | dojo-opt | FileCheck %s
// Generic form round trip.
// RUN: dojo-opt %s --mlir-print-op-generic | dojo-opt | FileCheck %s

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<4x8xbf16>, %b: tensor<8xbf16>) -> tensor<4x8xbf16> {
  // CHECK: dojo.sub %{{.*}}, %{{.*}} : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
  %0 = dojo.sub %a, %b : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
  // CHECK: dojo.mul %{{.*}}, %{{.*}} : tensor<8xbf16>, tensor<4x8xbf16> -> tensor<4x8xbf16>
  %1 = dojo.mul %b, %0 : tensor<8xbf16>, tensor<4x8xbf16> -> tensor<4x8xbf16>
  // CHECK: dojo.div
  %2 = dojo.div %1, %a : tensor<4x8xbf16>, tensor<4x8xbf16> -> tensor<4x8xbf16>
  // CHECK: dojo.max
  %3 = dojo.max %2, %b : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
  // CHECK: dojo.min
  %4 = dojo.min %3, %b : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
  return %4 : tensor<4x8xbf16>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<3x5xf32>) -> tensor<3x5xbf16> {
  // CHECK: dojo.gelu %{{.*}} : tensor<3x5xf32>
  %0 = dojo.gelu %x : tensor<3x5xf32>
  // CHECK: dojo.gelu %{{.*}} approximate tanh : tensor<3x5xf32>
  %1 = dojo.gelu %0 approximate tanh : tensor<3x5xf32>
  // Default spelled out: printed without it.
  // CHECK: dojo.gelu %{{.*}} : tensor<3x5xf32>
  %2 = dojo.gelu %1 approximate none : tensor<3x5xf32>
  // CHECK: dojo.sigmoid %{{.*}} : tensor<3x5xf32>
  %3 = dojo.sigmoid %2 : tensor<3x5xf32>
  // CHECK: dojo.tanh
  %4 = dojo.tanh %3 : tensor<3x5xf32>
  // CHECK: dojo.exp
  %5 = dojo.exp %4 : tensor<3x5xf32>
  // CHECK: dojo.log
  %6 = dojo.log %5 : tensor<3x5xf32>
  // CHECK: dojo.sqrt
  %7 = dojo.sqrt %6 : tensor<3x5xf32>
  // CHECK: dojo.rsqrt
  %8 = dojo.rsqrt %7 : tensor<3x5xf32>
  // CHECK: dojo.reciprocal %{{.*}} : tensor<3x5xf32>
  %9 = dojo.reciprocal %8 : tensor<3x5xf32>
  // CHECK: dojo.cast %{{.*}} : tensor<3x5xf32> -> tensor<3x5xbf16>
  %10 = dojo.cast %9 : tensor<3x5xf32> -> tensor<3x5xbf16>
  return %10 : tensor<3x5xbf16>
}

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<8x4xbf16>, %b: tensor<16x4xbf16>, %q: tensor<3x5x4xbf16>, %k: tensor<1x6x4xbf16>) -> (tensor<4x16xf32>, tensor<3x5x6xbf16>) {
  // CHECK: dojo.matmul %{{.*}}, %{{.*}} {transpose_lhs} : tensor<8x4xbf16>, tensor<8x4xbf16> -> tensor<4x4xbf16>
  %0 = dojo.matmul %a, %a {transpose_lhs} : tensor<8x4xbf16>, tensor<8x4xbf16> -> tensor<4x4xbf16>
  // CHECK: dojo.matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<4x4xbf16>, tensor<16x4xbf16> -> tensor<4x16xf32>
  %1 = dojo.matmul %0, %b {transpose_rhs} : tensor<4x4xbf16>, tensor<16x4xbf16> -> tensor<4x16xf32>
  // CHECK: dojo.batch_matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<3x5x4xbf16>, tensor<1x6x4xbf16> -> tensor<3x5x6xbf16>
  %2 = dojo.batch_matmul %q, %k {transpose_rhs} : tensor<3x5x4xbf16>, tensor<1x6x4xbf16> -> tensor<3x5x6xbf16>
  return %1, %2 : tensor<4x16xf32>, tensor<3x5x6xbf16>
}

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<2x3x9x9xf32>, %w: tensor<6x1x3x3xf32>, %b: tensor<6xf32>,
                %xh: tensor<1x7x7x4xbf16>, %wh: tensor<3x3x4x8xbf16>) {
  // CHECK: dojo.conv2d %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 3 : i64, padding = array<i64: 1, 2, 1, 0>, strides = array<i64: 2, 1>} : tensor<2x3x9x9xf32>, tensor<6x1x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x7xf32>
  %0 = dojo.conv2d %x, %w, %b {strides = array<i64: 2, 1>, padding = array<i64: 1, 2, 1, 0>, dilations = array<i64: 2, 2>, groups = 3}
      : tensor<2x3x9x9xf32>, tensor<6x1x3x3xf32>, tensor<6xf32> -> tensor<2x6x4x7xf32>
  // CHECK: dojo.conv2d %{{.*}}, %{{.*}} layout nhwc : tensor<1x7x7x4xbf16>, tensor<3x3x4x8xbf16> -> tensor<1x5x5x8xbf16>
  %1 = dojo.conv2d %xh, %wh layout nhwc : tensor<1x7x7x4xbf16>, tensor<3x3x4x8xbf16> -> tensor<1x5x5x8xbf16>
  return
}

// CHECK-LABEL: func.func @pools
func.func @pools(%x: tensor<2x3x9x9xf32>, %xh: tensor<1x7x7x4xbf16>) {
  // CHECK: dojo.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<2x3x9x9xf32> -> tensor<2x3x5x5xf32>
  %0 = dojo.max_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x3x9x9xf32> -> tensor<2x3x5x5xf32>
  // CHECK: dojo.avg_pool2d %{{.*}} layout nhwc {count_include_pad, kernel = array<i64: 2, 2>, padding = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x7x7x4xbf16> -> tensor<1x4x4x4xbf16>
  %1 = dojo.avg_pool2d %xh layout nhwc {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, padding = array<i64: 0, 0, 1, 1>, count_include_pad} : tensor<1x7x7x4xbf16> -> tensor<1x4x4x4xbf16>
  // CHECK: dojo.global_avg_pool2d %{{.*}} : tensor<2x3x9x9xf32> -> tensor<2x3x1x1xf32>
  %2 = dojo.global_avg_pool2d %x : tensor<2x3x9x9xf32> -> tensor<2x3x1x1xf32>
  // CHECK: dojo.global_max_pool2d %{{.*}} layout nhwc : tensor<1x7x7x4xbf16> -> tensor<1x1x1x4xbf16>
  %3 = dojo.global_max_pool2d %xh layout nhwc : tensor<1x7x7x4xbf16> -> tensor<1x1x1x4xbf16>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>, %g: tensor<3x4xf32>, %c: tensor<3xf32>) {
  // CHECK: dojo.reduce_sum %{{.*}} axes [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
  %0 = dojo.reduce_sum %x axes [0, 2] : tensor<2x3x4xf32> -> tensor<3xf32>
  // CHECK: dojo.reduce_max %{{.*}} axes [1] keepdim : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  %1 = dojo.reduce_max %x axes [1] keepdim : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  // CHECK: dojo.reduce_mean %{{.*}} axes [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
  %2 = dojo.reduce_mean %x axes [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
  // CHECK: dojo.softmax %{{.*}} axis 1 : tensor<2x3x4xf32>
  %3 = dojo.softmax %x axis 1 : tensor<2x3x4xf32>
  // The default epsilon is not printed.
  // CHECK: dojo.layer_norm %{{.*}} scale %{{.*}} : tensor<3x4xf32> bias %{{.*}} : tensor<3x4xf32> axis 1 : tensor<2x3x4xf32>
  %4 = dojo.layer_norm %x scale %g : tensor<3x4xf32> bias %g : tensor<3x4xf32> axis 1 {epsilon = 1.0e-5 : f32} : tensor<2x3x4xf32>
  // CHECK: dojo.layer_norm %{{.*}} axis 2 {epsilon = 1.000000e-03 : f32} : tensor<2x3x4xf32>
  %5 = dojo.layer_norm %x axis 2 {epsilon = 1.0e-3 : f32} : tensor<2x3x4xf32>
  // CHECK: dojo.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<3xf32>
  %6 = dojo.batch_norm %x, %c, %c, %c, %c : tensor<2x3x4xf32>, tensor<3xf32>
  return
}

// CHECK-LABEL: func.func @movement
func.func @movement(%x: tensor<2x3x4xbf16>, %y: tensor<2x1x4xbf16>, %t: tensor<10x4xf32>, %i: tensor<5xi64>, %j: tensor<2x2xi32>) {
  // CHECK: dojo.transpose %{{.*}} perm [2, 0, 1] : tensor<2x3x4xbf16> -> tensor<4x2x3xbf16>
  %0 = dojo.transpose %x perm [2, 0, 1] : tensor<2x3x4xbf16> -> tensor<4x2x3xbf16>
  // CHECK: dojo.reshape %{{.*}} : tensor<2x3x4xbf16> -> tensor<6x4xbf16>
  %1 = dojo.reshape %x : tensor<2x3x4xbf16> -> tensor<6x4xbf16>
  // CHECK: dojo.concat %{{.*}}, %{{.*}}, %{{.*}} axis 1 : tensor<2x3x4xbf16>, tensor<2x1x4xbf16>, tensor<2x3x4xbf16> -> tensor<2x7x4xbf16>
  %2 = dojo.concat %x, %y, %x axis 1 : tensor<2x3x4xbf16>, tensor<2x1x4xbf16>, tensor<2x3x4xbf16> -> tensor<2x7x4xbf16>
  // CHECK: dojo.slice %{{.*}} offsets [0, 1, 0] sizes [2, 2, 2] strides [1, 1, 3] : tensor<2x3x4xbf16> -> tensor<2x2x2xbf16>
  %3 = dojo.slice %x offsets [0, 1, 0] sizes [2, 2, 2] strides [1, 1, 3] : tensor<2x3x4xbf16> -> tensor<2x2x2xbf16>
  // CHECK: dojo.pad %{{.*}} low [0, 1, 2] high [1, 0, 0] value -1.500000e+00 : tensor<2x3x4xbf16> -> tensor<3x4x6xbf16>
  %4 = dojo.pad %x low [0, 1, 2] high [1, 0, 0] value -1.5 : tensor<2x3x4xbf16> -> tensor<3x4x6xbf16>
  // CHECK: dojo.pad %{{.*}} low [0, 0, 0] high [0, 0, 1] : tensor<2x3x4xbf16> -> tensor<2x3x5xbf16>
  %5 = dojo.pad %x low [0, 0, 0] high [0, 0, 1] : tensor<2x3x4xbf16> -> tensor<2x3x5xbf16>
  // CHECK: dojo.gather %{{.*}}[%{{.*}}] : tensor<10x4xf32>, tensor<5xi64> -> tensor<5x4xf32>
  %6 = dojo.gather %t[%i] : tensor<10x4xf32>, tensor<5xi64> -> tensor<5x4xf32>
  // CHECK: dojo.gather %{{.*}}[%{{.*}}] : tensor<10x4xf32>, tensor<2x2xi32> -> tensor<2x2x4xf32>
  %7 = dojo.gather %t[%j] : tensor<10x4xf32>, tensor<2x2xi32> -> tensor<2x2x4xf32>
  return
}
