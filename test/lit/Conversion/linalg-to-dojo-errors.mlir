// RUN: dojo-opt %s --split-input-file --convert-linalg-to-dojo --verify-diagnostics

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @rem(%x: tensor<4x16xf32>, %y: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{body op 'arith.remf' is not supported by convert-linalg-to-dojo}}
  %a = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.remf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %a : tensor<4x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @transposed_operand(%x: tensor<4x16xf32>, %y: tensor<16x4xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{computes 'arith.addf' on operands that are not NumPy-broadcast inputs of the generic}}
  %a = linalg.generic {indexing_maps = [#id, #tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<4x16xf32>, tensor<16x4xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %a : tensor<4x16xf32>
}

// -----

func.func @maxnum(%x: tensor<4x16xf32>, %y: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  // expected-error @+1 {{body op 'arith.maxnumf' (NaN-ignoring) is not supported by convert-linalg-to-dojo; dojo.max/min propagate NaN (arith.maximumf/minimumf)}}
  %a = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %y : tensor<4x16xf32>, tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.maxnumf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %a : tensor<4x16xf32>
}

// -----

func.func @uninit(%x: tensor<4x8xbf16>, %w: tensor<8x16xbf16>) -> tensor<4x16xbf16> {
  %e = tensor.empty() : tensor<4x16xbf16>
  // expected-error @+1 {{accumulates into an uninitialized tensor (tensor.empty); fill it with zero first}}
  %m = linalg.matmul ins(%x, %w : tensor<4x8xbf16>, tensor<8x16xbf16>) outs(%e : tensor<4x16xbf16>) -> tensor<4x16xbf16>
  return %m : tensor<4x16xbf16>
}

// -----

func.func @abs(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-error @+1 {{'linalg.abs' op is not supported by convert-linalg-to-dojo}}
  %t = linalg.abs ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %t : tensor<4x8xf32>
}

// -----

func.func @f16(%x: tensor<4x8xf16>) -> tensor<4x8xf16> {
  %e = tensor.empty() : tensor<4x8xf16>
  // expected-error @+1 {{'linalg.exp' op is not supported by convert-linalg-to-dojo on element type 'f16' (dojo ops take f32 and bf16)}}
  %t = linalg.exp ins(%x : tensor<4x8xf16>) outs(%e : tensor<4x8xf16>) -> tensor<4x8xf16>
  return %t : tensor<4x8xf16>
}

// -----

func.func @sum_pool(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // expected-error @+1 {{is only supported as average pooling: a zero init and a result divided by the window size (linalg.div or an elementwise arith.divf)}}
  %p = linalg.pooling_nchw_sum {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<2x2xf32>) outs(%f : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %p : tensor<1x3x4x4xf32>
}

// -----

func.func @max_pool_init(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %w = tensor.empty() : tensor<2x2xf32>
  %e = tensor.empty() : tensor<1x3x4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  // expected-error @+1 {{is only supported with an init filled with -inf}}
  %p = linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x3x8x8xf32>, tensor<2x2xf32>) outs(%f : tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %p : tensor<1x3x4x4xf32>
}

// -----

func.func @matmul_broadcast_map(%a: tensor<8xf32>, %b: tensor<8x4xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{has an lhs indexing map that is not a plain or transposed matrix}}
  %m = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<8xf32>, tensor<8x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %m : tensor<3x4xf32>
}

// -----

func.func @dynamic_slice(%x: tensor<8x8xf32>, %i: index) -> tensor<2x8xf32> {
  // expected-error @+1 {{with dynamic offsets, sizes or strides is not supported by convert-linalg-to-dojo}}
  %s = tensor.extract_slice %x[%i, 0] [2, 8] [1, 1] : tensor<8x8xf32> to tensor<2x8xf32>
  return %s : tensor<2x8xf32>
}

// -----

func.func @lonely_broadcast(%x: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-error @+1 {{is only supported when it feeds broadcasting elementwise ops, a bias or an accumulator}}
  %b = linalg.broadcast ins(%x : tensor<8xf32>) outs(%e : tensor<4x8xf32>) dimensions = [0]
  return %b : tensor<4x8xf32>
}

// -----

func.func @reduce_mul(%x: tensor<4x8xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{is only supported with a body of one arith.addf or arith.maximumf}}
  %r = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%init : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %p = arith.mulf %in, %acc : f32
      linalg.yield %p : f32
    }
  return %r : tensor<4xf32>
}
