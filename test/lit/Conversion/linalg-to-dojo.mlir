// RUN: dojo-opt %s --convert-linalg-to-dojo | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#row2 = affine_map<(d0, d1) -> (0, d1)>

// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xbf16>, %[[W:.*]]: tensor<8x16xbf16>, %[[B:.*]]: tensor<16xbf16>)
func.func @matmul_bias_relu(%x: tensor<4x8xbf16>, %w: tensor<8x16xbf16>, %b: tensor<16xbf16>) -> tensor<4x16xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e = tensor.empty() : tensor<4x16xbf16>
  %f = linalg.fill ins(%zero : bf16) outs(%e : tensor<4x16xbf16>) -> tensor<4x16xbf16>
  // CHECK: %[[M:.*]] = dojo.matmul %[[X]], %[[W]] : tensor<4x8xbf16>, tensor<8x16xbf16> -> tensor<4x16xbf16>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xbf16>, tensor<8x16xbf16>) outs(%f : tensor<4x16xbf16>) -> tensor<4x16xbf16>
  // CHECK: %[[A:.*]] = dojo.add %[[M]], %[[B]] : tensor<4x16xbf16>, tensor<16xbf16> -> tensor<4x16xbf16>
  %a = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<4x16xbf16>, tensor<16xbf16>) outs(%e : tensor<4x16xbf16>) {
  ^bb0(%p: bf16, %q: bf16, %o: bf16):
    %s = arith.addf %p, %q : bf16
    linalg.yield %s : bf16
  } -> tensor<4x16xbf16>
  // CHECK: %[[R:.*]] = dojo.relu %[[A]] : tensor<4x16xbf16>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x16xbf16>) outs(%e : tensor<4x16xbf16>) {
  ^bb0(%p: bf16, %o: bf16):
    %s = arith.maximumf %zero, %p : bf16
    linalg.yield %s : bf16
  } -> tensor<4x16xbf16>
  // CHECK-NOT: linalg.
  // CHECK-NOT: tensor.empty
  // CHECK: return %[[R]]
  return %r : tensor<4x16xbf16>
}

// CHECK-LABEL: func.func @named_ops
func.func @named_ops(%x: tensor<4x16xf32>, %y: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  // CHECK: %[[S:.*]] = dojo.add %{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<4x16xf32> -> tensor<4x16xf32>
  %s = linalg.add ins(%x, %y : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  // CHECK: dojo.relu %[[S]] : tensor<4x16xf32>
  %r = linalg.max ins(%s, %f : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// A row vector given as 1xN with a constant-0 map, and an accumulating
// matmul into a non-zero init: matmul + add.
// CHECK-LABEL: func.func @row_and_init
func.func @row_and_init(%x: tensor<4x8xbf16>, %w: tensor<8x16xbf16>, %b: tensor<1x16xbf16>, %c: tensor<4x16xbf16>) -> tensor<4x16xbf16> {
  // CHECK: %[[M:.*]] = dojo.matmul
  // CHECK: %[[I:.*]] = dojo.add %[[M]], %{{.*}} : tensor<4x16xbf16>, tensor<4x16xbf16>
  %m = linalg.matmul ins(%x, %w : tensor<4x8xbf16>, tensor<8x16xbf16>) outs(%c : tensor<4x16xbf16>) -> tensor<4x16xbf16>
  %e = tensor.empty() : tensor<4x16xbf16>
  // CHECK: dojo.add %[[I]], %{{.*}} : tensor<4x16xbf16>, tensor<1x16xbf16> -> tensor<4x16xbf16>
  %a = linalg.generic {indexing_maps = [#id, #row2, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<4x16xbf16>, tensor<1x16xbf16>) outs(%e : tensor<4x16xbf16>) {
  ^bb0(%p: bf16, %q: bf16, %o: bf16):
    %s = arith.addf %p, %q : bf16
    linalg.yield %s : bf16
  } -> tensor<4x16xbf16>
  return %a : tensor<4x16xbf16>
}
