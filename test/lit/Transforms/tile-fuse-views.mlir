// RUN: dojo-opt %s --split-input-file "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile))" | FileCheck %s

// Matmul groups see through views (e2e: dojo-run/fuse-views.mlir): a
// matmul's result viewed as NHWC images, then a row-broadcast multiply and
// a ReLU on the view: both join the kernel, rebuilt on the [M, N] tile,
// and the view moves after the kernel.
// CHECK-LABEL: func.func @nhwc_view
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.mul {{.*}} : tensor<{{[0-9]+}}x{{[0-9]+}}xf32>, tensor<{{[0-9]+}}xf32>
// CHECK-NEXT: dojo.relu
// CHECK-NEXT: dojo.yield
// CHECK-NOT: dojo.kernel
// CHECK: dojo.reshape {{.*}} -> tensor<2x5x3x16xf32>
func.func @nhwc_view(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %s: tensor<16xf32>) -> tensor<2x5x3x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.reshape %0 : tensor<30x16xf32> -> tensor<2x5x3x16xf32>
  %2 = dojo.mul %1, %s : tensor<2x5x3x16xf32>, tensor<16xf32> -> tensor<2x5x3x16xf32>
  %3 = dojo.relu %2 : tensor<2x5x3x16xf32>
  return %3 : tensor<2x5x3x16xf32>
}

// -----

// Not through a slice to a full operand (the slice drops positions the
// operand does not have): the residual add after a 3x3 window product
// stays its own kernel; the product's kernel still stores only the valid
// positions (crop).
// CHECK-LABEL: func.func @crop_residual
// CHECK: dojo.kernel {{.*}}crop = array<i64: 11, 9, 10, 8>
// CHECK: dojo.matmul {{.*}}window
// CHECK-NEXT: dojo.yield
// CHECK: dojo.kernel
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dojo.add
func.func @crop_residual(%x: tensor<2x10x8x8xbf16>, %w: tensor<3x3x8x8xbf16>) -> tensor<2x10x8x8xbf16> {
  %0 = dojo.conv2d %x, %w layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<2x10x8x8xbf16>, tensor<3x3x8x8xbf16> -> tensor<2x10x8x8xbf16>
  %1 = dojo.add %0, %x : tensor<2x10x8x8xbf16>, tensor<2x10x8x8xbf16> -> tensor<2x10x8x8xbf16>
  return %1 : tensor<2x10x8x8xbf16>
}

// -----

// Not an operand computed after the matmul (the kernel could not take it),
// unless it is a view of a value from before, which moves there. (The exp
// and the add are a chain of elementwise ops: one kernel.)
// CHECK-LABEL: func.func @late_operand
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.yield
// CHECK: dojo.kernel
// CHECK: dojo.exp
// CHECK-NEXT: dojo.add
// CHECK-NEXT: dojo.yield
func.func @late_operand(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %c: tensor<30x16xf32>) -> tensor<30x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.exp %c : tensor<30x16xf32>
  %2 = dojo.add %0, %1 : tensor<30x16xf32>, tensor<30x16xf32> -> tensor<30x16xf32>
  return %2 : tensor<30x16xf32>
}

// -----

// CHECK-LABEL: func.func @late_view
// CHECK: dojo.reshape %arg2 : tensor<2x15x16xf32> -> tensor<30x16xf32>
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.add
// CHECK-NEXT: dojo.yield
// CHECK-NOT: dojo.kernel
func.func @late_view(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %c: tensor<2x15x16xf32>) -> tensor<30x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.reshape %c : tensor<2x15x16xf32> -> tensor<30x16xf32>
  %2 = dojo.add %0, %1 : tensor<30x16xf32>, tensor<30x16xf32> -> tensor<30x16xf32>
  return %2 : tensor<30x16xf32>
}

// -----

// An op rebuilt on the tile that the group then does not take (the vector
// unit broadcasts only its second operand, and sub does not commute) is
// an elementwise kernel of its own, on the [M, N] tile, viewed after it
// (the ISA has no lowering for that operand order; convert-dojo-to-isa
// then reports it on the op).
// CHECK-LABEL: func.func @rejected
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.yield
// CHECK: dojo.kernel {{.*}} -> tensor<30x16xf32>
// CHECK: dojo.sub
// CHECK: dojo.reshape {{.*}} : tensor<30x16xf32> -> tensor<2x5x3x16xf32>
func.func @rejected(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %s: tensor<16xf32>) -> tensor<2x5x3x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.reshape %0 : tensor<30x16xf32> -> tensor<2x5x3x16xf32>
  %2 = dojo.sub %s, %1 : tensor<16xf32>, tensor<2x5x3x16xf32> -> tensor<2x5x3x16xf32>
  return %2 : tensor<2x5x3x16xf32>
}

// -----

// A row operand computed after the matmul from the function's arguments
// only (a batch norm's mean, cast after the convolution) moves before the
// matmul (hoistParameterOps), so the sub joins the product's epilogue.
// CHECK-LABEL: func.func @late_row
// CHECK: dojo.kernel grid [1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dojo.cast
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.sub
// CHECK-NEXT: dojo.yield
// CHECK-NOT: dojo.kernel
func.func @late_row(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %s: tensor<16xbf16>) -> tensor<2x5x3x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.reshape %0 : tensor<30x16xf32> -> tensor<2x5x3x16xf32>
  %m = dojo.cast %s : tensor<16xbf16> -> tensor<16xf32>
  %2 = dojo.sub %1, %m : tensor<2x5x3x16xf32>, tensor<16xf32> -> tensor<2x5x3x16xf32>
  return %2 : tensor<2x5x3x16xf32>
}

// -----

// Not a row computed from a rank-2 value (it may be an activation): the
// reduction stays after the matmul, and so does the sub (its own kernel).
// CHECK-LABEL: func.func @late_reduced_row
// CHECK: dojo.kernel
// CHECK: dojo.matmul
// CHECK-NEXT: dojo.yield
// CHECK: dojo.reduce_sum
// CHECK: dojo.kernel
// CHECK: dojo.sub
func.func @late_reduced_row(%a: tensor<30x8xbf16>, %b: tensor<8x16xbf16>, %c: tensor<16x5xf32>) -> tensor<2x5x3x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<30x8xbf16>, tensor<8x16xbf16> -> tensor<30x16xf32>
  %1 = dojo.reshape %0 : tensor<30x16xf32> -> tensor<2x5x3x16xf32>
  %m = dojo.reduce_sum %c axes [1] : tensor<16x5xf32> -> tensor<16xf32>
  %2 = dojo.sub %1, %m : tensor<2x5x3x16xf32>, tensor<16xf32> -> tensor<2x5x3x16xf32>
  return %2 : tensor<2x5x3x16xf32>
}

// -----

// A chain of elementwise ops, each the only user of the one before, with
// every other operand defined before the chain's first op, is one kernel:
// a 3x3 stride-2 max pool's eight maxes over its nine strided windows
// (e2e: dojo-run/pool-norm.mlir and the ResNet models in test/python).
// CHECK-LABEL: func.func @max_pool
// CHECK: dojo.kernel grid [{{[0-9]+}}] {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} :
// CHECK-COUNT-8: dojo.max
// CHECK-NEXT: dojo.yield
// CHECK-NOT: dojo.kernel
func.func @max_pool(%x: tensor<2x16x16x8xbf16>) -> tensor<2x8x8x8xbf16> {
  %y = dojo.max_pool2d %x layout nhwc {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x16x16x8xbf16> -> tensor<2x8x8x8xbf16>
  return %y : tensor<2x8x8x8xbf16>
}

// -----

// A chain of rank-1 ops (a batch norm's rsqrt(var + eps)) is one kernel.
// CHECK-LABEL: func.func @vector_chain
// CHECK: dojo.kernel grid [1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: dojo.cast
// CHECK-NEXT: dojo.add
// CHECK-NEXT: dojo.rsqrt
// CHECK-NEXT: dojo.yield
// CHECK-NOT: dojo.kernel
func.func @vector_chain(%v: tensor<64xbf16>) -> tensor<64xf32> {
  %0 = dojo.cast %v : tensor<64xbf16> -> tensor<64xf32>
  %c = arith.constant dense<1.0e-5> : tensor<1xf32>
  %1 = dojo.add %0, %c : tensor<64xf32>, tensor<1xf32> -> tensor<64xf32>
  %2 = dojo.rsqrt %1 : tensor<64xf32>
  return %2 : tensor<64xf32>
}
