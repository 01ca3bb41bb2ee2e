// RUN: dojo-opt %s --split-input-file --dojo-decompose | FileCheck %s

// A 3x3 NHWC convolution: pad, one strided window per tap, a concat along
// channels in (kh, kw) order, a matmul on the im2col rows, the bias added in
// FP32 and one rounding. The bias is cast to FP32 before the product, so
// that dojo-tile can fuse its add into the product's kernel.
// CHECK-LABEL: func.func @conv_nhwc
// The windows never read the last padded row and column: high is 0.
// CHECK: %[[P:.*]] = dojo.pad %arg0 low [0, 1, 1, 0] high [0, 0, 0, 0]
// CHECK: %[[B:.*]] = dojo.cast %arg2 : tensor<6xbf16> -> tensor<6xf32>
// CHECK: %[[T0:.*]] = dojo.slice %[[P]] offsets [0, 0, 0, 0] sizes [2, 4, 3, 5] strides [1, 2, 2, 1]
// CHECK: %[[T8:.*]] = dojo.slice %[[P]] offsets [0, 2, 2, 0] sizes [2, 4, 3, 5] strides [1, 2, 2, 1]
// CHECK: %[[C:.*]] = dojo.concat %[[T0]], {{.*}}, %[[T8]] axis 3 {{.*}} -> tensor<2x4x3x45xbf16>
// CHECK: %[[A:.*]] = dojo.reshape %[[C]] : tensor<2x4x3x45xbf16> -> tensor<24x45xbf16>
// CHECK: %[[W:.*]] = dojo.reshape %arg1 : tensor<3x3x5x6xbf16> -> tensor<45x6xbf16>
// CHECK: %[[M:.*]] = dojo.matmul %[[A]], %[[W]] : tensor<24x45xbf16>, tensor<45x6xbf16> -> tensor<24x6xf32>
// CHECK: %[[S:.*]] = dojo.add %[[M]], %[[B]]
// CHECK: dojo.cast %[[S]] : tensor<24x6xf32> -> tensor<24x6xbf16>
// CHECK-NOT: dojo.conv2d
func.func @conv_nhwc(%x: tensor<2x8x6x5xbf16>, %w: tensor<3x3x5x6xbf16>, %b: tensor<6xbf16>) -> tensor<2x4x3x6xbf16> {
  %0 = dojo.conv2d %x, %w, %b layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x8x6x5xbf16>, tensor<3x3x5x6xbf16>, tensor<6xbf16> -> tensor<2x4x3x6xbf16>
  return %0 : tensor<2x4x3x6xbf16>
}

// -----

// Two NCHW convolutions with a ReLU between: each becomes NHWC between
// transposes, the ReLU is moved across the transposes, and the pair between
// the layers cancels: one transpose in (and the filters), one out. At batch
// 1 NCHW <-> NHWC is a rank-2 transpose of [C, H*W].
// CHECK-LABEL: func.func @nchw_chain
// CHECK: %[[IN:.*]] = dojo.reshape %arg0 : tensor<1x3x6x6xbf16> -> tensor<3x36xbf16>
// CHECK: dojo.transpose %[[IN]] perm [1, 0] : tensor<3x36xbf16> -> tensor<36x3xbf16>
// OIHW -> HWIO: [O, I*H*W] transposed, then a strided copy [I, HW, O] -> [HW, I, O].
// CHECK: dojo.transpose {{.*}} perm [1, 0] : tensor<4x27xbf16> -> tensor<27x4xbf16>
// CHECK: dojo.transpose {{.*}} perm [1, 0, 2] : tensor<3x9x4xbf16> -> tensor<9x3x4xbf16>
// CHECK: dojo.relu {{.*}} : tensor<36x4xbf16>
// CHECK-NOT: dojo.transpose {{.*}} tensor<36x4xbf16> -> tensor<4x36xbf16>
// CHECK: dojo.matmul
// CHECK: %[[OUT:.*]] = dojo.transpose {{.*}} perm [1, 0] : tensor<36x4xbf16> -> tensor<4x36xbf16>
// CHECK: %[[R:.*]] = dojo.reshape %[[OUT]] : tensor<4x36xbf16> -> tensor<1x4x6x6xbf16>
// CHECK: return %[[R]]
func.func @nchw_chain(%x: tensor<1x3x6x6xbf16>, %w: tensor<4x3x3x3xbf16>, %v: tensor<4x4x3x3xbf16>) -> tensor<1x4x6x6xbf16> {
  %0 = dojo.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : tensor<1x3x6x6xbf16>, tensor<4x3x3x3xbf16> -> tensor<1x4x6x6xbf16>
  %1 = dojo.relu %0 : tensor<1x4x6x6xbf16>
  %2 = dojo.conv2d %1, %v {padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x6x6xbf16>, tensor<4x4x3x3xbf16> -> tensor<1x4x6x6xbf16>
  return %2 : tensor<1x4x6x6xbf16>
}

// -----

// Max pooling: a -inf pad, window slices and a max chain.
// CHECK-LABEL: func.func @max_pool
// CHECK: dojo.pad %arg0 low [0, 1, 1, 0] high [0, 1, 1, 0] value 0xFF800000
// CHECK-COUNT-8: dojo.max
// CHECK-NOT: dojo.max_pool2d
func.func @max_pool(%x: tensor<1x5x5x3xbf16>) -> tensor<1x3x3x3xbf16> {
  %0 = dojo.max_pool2d %x layout nhwc {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x5x5x3xbf16> -> tensor<1x3x3x3xbf16>
  return %0 : tensor<1x3x3x3xbf16>
}

// -----

// batch_matmul: one matmul per batch over contiguous slices, a concat.
// CHECK-LABEL: func.func @bmm
// CHECK: dojo.reshape %arg0 : tensor<2x3x4xbf16> -> tensor<6x4xbf16>
// CHECK: dojo.slice {{.*}} offsets [0, 0] sizes [3, 4] strides [1, 1]
// CHECK: dojo.matmul
// CHECK: dojo.slice {{.*}} offsets [3, 0] sizes [3, 4] strides [1, 1]
// CHECK: dojo.matmul
// CHECK: dojo.concat {{.*}} axis 0
// CHECK-NOT: dojo.batch_matmul
func.func @bmm(%a: tensor<2x3x4xbf16>, %b: tensor<2x4x5xbf16>) -> tensor<2x3x5xf32> {
  %0 = dojo.batch_matmul %a, %b : tensor<2x3x4xbf16>, tensor<2x4x5xbf16> -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Softmax over a leading axis: transposed to the last axis and back.
// CHECK-LABEL: func.func @softmax_axis0
// CHECK: dojo.transpose %arg0 perm [1, 0]
// CHECK: dojo.softmax {{.*}} axis 1 : tensor<4x8xf32>
// CHECK: dojo.transpose {{.*}} perm [1, 0]
func.func @softmax_axis0(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %0 = dojo.softmax %x axis 0 : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// A rank-4 elementwise op runs on a rank-2 reshape; row broadcasts flatten
// to a row.
// CHECK-LABEL: func.func @flatten
// CHECK: dojo.add {{.*}} : tensor<24x5xf32>, tensor<5xf32> -> tensor<24x5xf32>
func.func @flatten(%x: tensor<2x3x4x5xf32>, %r: tensor<1x1x1x5xf32>) -> tensor<2x3x4x5xf32> {
  %0 = dojo.add %x, %r : tensor<2x3x4x5xf32>, tensor<1x1x1x5xf32> -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// NHWC global average pooling: the [N, H*W, C] images transposed to
// [N, C, H*W] (here, without a target to size a batched transpose's
// kernel, as per-image rank-2 transposes joined by a concat; with one, a
// single batched transpose: dojo-run/global-pool.mlir) and one row-wise
// mean over its [N*C, H*W] view.
// CHECK-LABEL: func.func @global_avg_nhwc
// CHECK: dojo.reshape %arg0 : tensor<3x5x7x12xbf16>
// CHECK-COUNT-3: dojo.transpose {{.*}} perm [1, 0] : tensor<35x12xbf16> -> tensor<12x35xbf16>
// CHECK: %[[V:.*]] = dojo.concat {{.*}} -> tensor<36x35xbf16>
// CHECK: %[[M:.*]] = dojo.reduce_mean %[[V]] axes [1] : tensor<36x35xbf16> -> tensor<36xbf16>
// CHECK-NOT: dojo.reduce_mean
// CHECK: dojo.reshape %[[M]] : tensor<36xbf16> -> tensor<3x1x1x12xbf16>
func.func @global_avg_nhwc(%x: tensor<3x5x7x12xbf16>) -> tensor<3x1x1x12xbf16> {
  %0 = dojo.global_avg_pool2d %x layout nhwc : tensor<3x5x7x12xbf16> -> tensor<3x1x1x12xbf16>
  return %0 : tensor<3x1x1x12xbf16>
}
