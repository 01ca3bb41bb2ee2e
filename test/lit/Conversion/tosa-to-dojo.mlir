// RUN: dojo-opt %s --split-input-file --convert-tosa-to-dojo | FileCheck %s

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<1x3xf32>)
func.func @elementwise(%x: tensor<2x3xf32>, %y: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // CHECK: %[[A:.*]] = dojo.add %[[X]], %[[Y]] : tensor<2x3xf32>, tensor<1x3xf32> -> tensor<2x3xf32>
  %a = tosa.add %x, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[S:.*]] = dojo.sub %[[A]], %[[Y]]
  %s = tosa.sub %a, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[M:.*]] = dojo.mul %[[S]], %[[X]]
  %m = tosa.mul %s, %x, %shift : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  // CHECK: %[[MX:.*]] = dojo.max %[[M]], %[[Y]]
  %mx = tosa.maximum %m, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[MN:.*]] = dojo.min %[[MX]], %[[X]]
  %mn = tosa.minimum %mx, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[R:.*]] = dojo.reciprocal %[[MN]]
  %r = tosa.reciprocal %mn : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[E:.*]] = dojo.exp %[[R]]
  %e = tosa.exp %r : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[L:.*]] = dojo.log %[[E]]
  %l = tosa.log %e : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[T:.*]] = dojo.tanh %[[L]]
  %t = tosa.tanh %l : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[G:.*]] = dojo.sigmoid %[[T]]
  %g = tosa.sigmoid %t : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[Q:.*]] = dojo.rsqrt %[[G]]
  %q = tosa.rsqrt %g : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[U:.*]] = dojo.relu %[[Q]] : tensor<2x3xf32>
  %u = tosa.clamp %q {min_val = 0.0 : f32, max_val = 0x7F800000 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-NOT: tosa.
  // CHECK: return %[[U]]
  return %u : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @contractions
func.func @contractions(%a: tensor<2x4x8xbf16>, %b: tensor<2x8x5xbf16>,
                        %x: tensor<1x9x9x3xbf16>, %w: tensor<8x3x3x3xbf16>, %bias: tensor<8xbf16>,
                        %dw: tensor<3x3x3x2xbf16>, %b1: tensor<1xbf16>) -> (tensor<2x4x5xf32>, tensor<1x5x5x8xbf16>, tensor<1x9x9x6xbf16>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xbf16>}> : () -> tensor<1xbf16>
  // CHECK: dojo.batch_matmul %{{.*}}, %{{.*}} : tensor<2x4x8xbf16>, tensor<2x8x5xbf16> -> tensor<2x4x5xf32>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<2x4x8xbf16>, tensor<2x8x5xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<2x4x5xf32>
  // CHECK: %[[T:.*]] = dojo.transpose %{{.*}} perm [1, 2, 3, 0] : tensor<8x3x3x3xbf16> -> tensor<3x3x3x8xbf16>
  // TOSA pad [top, bottom, left, right] = [1, 1, 2, 0] -> dojo [1, 2, 1, 0].
  // CHECK: dojo.conv2d %{{.*}}, %[[T]], %{{.*}} layout nhwc {padding = array<i64: 1, 2, 1, 0>, strides = array<i64: 2, 2>} : tensor<1x9x9x3xbf16>, tensor<3x3x3x8xbf16>, tensor<8xbf16> -> tensor<1x5x5x8xbf16>
  %c = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 2, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>}
      : (tensor<1x9x9x3xbf16>, tensor<8x3x3x3xbf16>, tensor<8xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x5x5x8xbf16>
  // CHECK: %[[DW:.*]] = dojo.reshape %{{.*}} : tensor<3x3x3x2xbf16> -> tensor<3x3x1x6xbf16>
  // CHECK: %[[D:.*]] = dojo.conv2d %{{.*}}, %[[DW]] layout nhwc {{{.*}}groups = 3 : i64, padding = array<i64: 1, 1, 1, 1>{{.*}}} : tensor<1x9x9x3xbf16>, tensor<3x3x1x6xbf16> -> tensor<1x9x9x6xbf16>
  // CHECK: dojo.add %[[D]], %{{.*}} : tensor<1x9x9x6xbf16>, tensor<1xbf16> -> tensor<1x9x9x6xbf16>
  %d = tosa.depthwise_conv2d %x, %dw, %b1, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x9x9x3xbf16>, tensor<3x3x3x2xbf16>, tensor<1xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x9x9x6xbf16>
  // CHECK-NOT: tosa.
  return %m, %c, %d : tensor<2x4x5xf32>, tensor<1x5x5x8xbf16>, tensor<1x9x9x6xbf16>
}

// -----

// CHECK-LABEL: func.func @pools_reductions
func.func @pools_reductions(%x: tensor<1x7x7x4xf32>) -> (tensor<1x4x4x4xf32>, tensor<1x3x3x4xf32>, tensor<1x1x7x4xf32>, tensor<1x7x7x1xf32>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // CHECK: dojo.avg_pool2d %{{.*}} layout nhwc {kernel = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x7x7x4xf32> -> tensor<1x4x4x4xf32>
  %a = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>}
      : (tensor<1x7x7x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: dojo.max_pool2d %{{.*}} layout nhwc {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x7x7x4xf32> -> tensor<1x3x3x4xf32>
  %m = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<1x7x7x4xf32>) -> tensor<1x3x3x4xf32>
  // CHECK: dojo.reduce_sum %{{.*}} axes [1] keepdim : tensor<1x7x7x4xf32> -> tensor<1x1x7x4xf32>
  %s = tosa.reduce_sum %x {axis = 1 : i32} : (tensor<1x7x7x4xf32>) -> tensor<1x1x7x4xf32>
  // CHECK: dojo.reduce_max %{{.*}} axes [3] keepdim : tensor<1x7x7x4xf32> -> tensor<1x7x7x1xf32>
  %r = tosa.reduce_max %x {axis = 3 : i32} : (tensor<1x7x7x4xf32>) -> tensor<1x7x7x1xf32>
  return %a, %m, %s, %r : tensor<1x4x4x4xf32>, tensor<1x3x3x4xf32>, tensor<1x1x7x4xf32>, tensor<1x7x7x1xf32>
}

// -----

// CHECK-LABEL: func.func @movement
func.func @movement(%x: tensor<2x3x4xf32>, %y: tensor<2x1x4xf32>, %t: tensor<1x10x8xbf16>, %i: tensor<1x5xi32>)
    -> (tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<1x2x3xf32>, tensor<3x4x6xf32>, tensor<1x5x8xbf16>, tensor<2x3x4xbf16>) {
  // CHECK: dojo.transpose %{{.*}} perm [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  %tr = tosa.transpose %x {perms = array<i32: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: dojo.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %shape = tosa.const_shape {values = dense<[6, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %re = tosa.reshape %x, %shape : (tensor<2x3x4xf32>, !tosa.shape<2>) -> tensor<6x4xf32>
  // CHECK: dojo.concat %{{.*}}, %{{.*}} axis 1 : tensor<2x3x4xf32>, tensor<2x1x4xf32> -> tensor<2x4x4xf32>
  %cc = tosa.concat %x, %y {axis = 1 : i32} : (tensor<2x3x4xf32>, tensor<2x1x4xf32>) -> tensor<2x4x4xf32>
  // CHECK: dojo.slice %{{.*}} offsets [1, 0, 1] sizes [1, 2, 3] strides [1, 1, 1] : tensor<2x3x4xf32> -> tensor<1x2x3xf32>
  %start = tosa.const_shape {values = dense<[1, 0, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %size = tosa.const_shape {values = dense<[1, 2, 3]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %sl = tosa.slice %x, %start, %size : (tensor<2x3x4xf32>, !tosa.shape<3>, !tosa.shape<3>) -> tensor<1x2x3xf32>
  // CHECK: dojo.pad %{{.*}} low [0, 1, 2] high [1, 0, 0] value -2.000000e+00 : tensor<2x3x4xf32> -> tensor<3x4x6xf32>
  %pads = tosa.const_shape {values = dense<[0, 1, 1, 0, 2, 0]> : tensor<6xindex>} : () -> !tosa.shape<6>
  %pv = "tosa.const"() <{values = dense<-2.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %pd = tosa.pad %x, %pads, %pv : (tensor<2x3x4xf32>, !tosa.shape<6>, tensor<1xf32>) -> tensor<3x4x6xf32>
  // CHECK: %[[TB:.*]] = dojo.reshape %{{.*}} : tensor<1x10x8xbf16> -> tensor<10x8xbf16>
  // CHECK: dojo.gather %[[TB]][%{{.*}}] : tensor<10x8xbf16>, tensor<1x5xi32> -> tensor<1x5x8xbf16>
  %g = tosa.gather %t, %i : (tensor<1x10x8xbf16>, tensor<1x5xi32>) -> tensor<1x5x8xbf16>
  // CHECK: dojo.cast %{{.*}} : tensor<2x3x4xf32> -> tensor<2x3x4xbf16>
  %ca = tosa.cast %x : (tensor<2x3x4xf32>) -> tensor<2x3x4xbf16>
  // CHECK-NOT: tosa.
  return %tr, %re, %cc, %sl, %pd, %g, %ca : tensor<4x2x3xf32>, tensor<6x4xf32>, tensor<2x4x4xf32>, tensor<1x2x3xf32>, tensor<3x4x6xf32>, tensor<1x5x8xbf16>, tensor<2x3x4xbf16>
}
