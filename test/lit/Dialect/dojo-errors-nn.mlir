// RUN: dojo-opt %s --split-input-file --verify-diagnostics

func.func @matmul_transposed(%a: tensor<8x4xbf16>, %b: tensor<16x5xbf16>) {
  // expected-error @+1 {{contraction sizes differ: lhs has 8 rows, rhs has 5 columns}}
  %0 = dojo.matmul %a, %b {transpose_lhs, transpose_rhs} : tensor<8x4xbf16>, tensor<16x5xbf16> -> tensor<4x16xbf16>
  return
}

// -----

func.func @batch_matmul_batch(%a: tensor<2x8x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{batch sizes differ: 2 vs 3 (one may be 1 to broadcast)}}
  %0 = dojo.batch_matmul %a, %b : tensor<2x8x4xf32>, tensor<3x4x5xf32> -> tensor<3x8x5xf32>
  return
}

// -----

func.func @batch_matmul_rank(%a: tensor<8x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{expects rank-3 operands and result}}
  %0 = dojo.batch_matmul %a, %b : tensor<8x4xf32>, tensor<4x5xf32> -> tensor<8x5xf32>
  return
}

// -----

func.func @batch_matmul_result(%a: tensor<1x8x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+1 {{result shape must be [3, 8, 5]}}
  %0 = dojo.batch_matmul %a, %b : tensor<1x8x4xf32>, tensor<3x4x5xf32> -> tensor<1x8x5xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{groups (4) must divide the input channels (6) and the output channels (4)}}
  %0 = dojo.conv2d %x, %w {groups = 4} : tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x6x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{filter has 3 input channels per group, expected 6}}
  %0 = dojo.conv2d %x, %w : tensor<1x6x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_nhwc_shape(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{result shape must be [1, 4, 4, 4]}}
  %0 = dojo.conv2d %x, %w layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32> -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{bias must be a [4] tensor of the result element type}}
  %0 = dojo.conv2d %x, %w, %b : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{strides must be positive}}
  %0 = dojo.conv2d %x, %w {strides = array<i64: 0, 1>} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_padding_count(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{attribute 'padding' failed to satisfy constraint: i64 dense array attribute with exactly 4 elements}}
  %0 = dojo.conv2d %x, %w {padding = array<i64: 1, 1>} : tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_too_small(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{filter does not fit the padded input}}
  %0 = dojo.conv2d %x, %w : tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32> -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @pool_shape(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{result shape must be [1, 3, 4, 4]}}
  %0 = dojo.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{padding must be smaller than the kernel (every window must overlap the input)}}
  %0 = dojo.avg_pool2d %x {kernel = array<i64: 2, 2>, padding = array<i64: 2, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x9x7xf32>
  return
}

// -----

func.func @pool_kernel(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{requires attribute 'kernel'}}
  %0 = dojo.max_pool2d %x : tensor<1x3x8x8xf32> -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @global_pool(%x: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{result shape must be [1, 1, 1, 3]}}
  %0 = dojo.global_avg_pool2d %x layout nhwc : tensor<1x8x8x3xf32> -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @sub_broadcast(%a: tensor<8x16xf32>, %b: tensor<3x1xf32>) {
  // expected-error @+1 {{operands are not broadcast-compatible in dimension 0: 8 vs 3}}
  %0 = dojo.sub %a, %b : tensor<8x16xf32>, tensor<3x1xf32> -> tensor<8x16xf32>
  return
}

// -----

func.func @div_types(%a: tensor<8xf32>, %b: tensor<8xf32>) {
  // expected-error @+1 {{operand and result element types must match}}
  %0 = dojo.div %a, %b : tensor<8xf32>, tensor<8xf32> -> tensor<8xbf16>
  return
}

// -----

func.func @gelu_mode(%a: tensor<8xf32>) {
  // expected-error @+2 {{expected ::dojo::GeluApproximation to be one of: none, tanh}}
  // expected-error @+1 {{failed to parse Dojo_GeluApproximationAttr parameter 'value'}}
  %0 = dojo.gelu %a approximate sigmoid : tensor<8xf32>
  return
}

// -----

func.func @exp_int(%a: tensor<8xi32>) {
  // expected-error @+1 {{must be ranked tensor of 32-bit float or bfloat16 type values}}
  %0 = dojo.exp %a : tensor<8xi32>
  return
}

// -----

func.func @cast_shape(%a: tensor<8xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = dojo.cast %a : tensor<8xf32> -> tensor<4xbf16>
  return
}

// -----

func.func @cast_f16(%a: tensor<8xf32>) {
  // expected-error @+1 {{must be ranked tensor of 32-bit float or bfloat16 type or f8E4M3FN type or f8E5M2 type values}}
  %0 = dojo.cast %a : tensor<8xf32> -> tensor<8xf16>
  return
}

// -----

// CFP8 is for cast (and reshape, which carries it): other ops reject it.
func.func @add_f8(%a: tensor<8xf8E4M3FN>) {
  // expected-error @+1 {{must be ranked tensor of 32-bit float or bfloat16 type values}}
  %0 = dojo.add %a, %a : tensor<8xf8E4M3FN>, tensor<8xf8E4M3FN> -> tensor<8xf8E4M3FN>
  return
}

// -----

func.func @reduce_axes(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axes must be strictly increasing}}
  %0 = dojo.reduce_sum %a axes [1, 0] : tensor<2x3xf32> -> tensor<f32>
  return
}

// -----

func.func @reduce_axis_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = dojo.reduce_max %a axes [2] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @reduce_keepdim(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape must be [2, 1]}}
  %0 = dojo.reduce_mean %a axes [1] keepdim : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @softmax_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = dojo.softmax %a axis 2 : tensor<2x3xf32>
  return
}

// -----

func.func @layer_norm_scale(%a: tensor<2x3x4xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{scale and bias must be [3, 4] tensors of the input element type}}
  %0 = dojo.layer_norm %a scale %g : tensor<4xf32> axis 1 : tensor<2x3x4xf32>
  return
}

// -----

func.func @layer_norm_eps(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{epsilon must be non-negative}}
  %0 = dojo.layer_norm %a axis 2 {epsilon = -1.0 : f32} : tensor<2x3x4xf32>
  return
}

// -----

func.func @batch_norm_params(%a: tensor<2x3x4xf32>, %c: tensor<4xf32>) {
  // expected-error @+1 {{mean, variance, scale and offset must be [3] tensors of the input element type}}
  %0 = dojo.batch_norm %a, %c, %c, %c, %c : tensor<2x3x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{perm must be a permutation of [0, 3)}}
  %0 = dojo.transpose %a perm [0, 1, 1] : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
  return
}

// -----

func.func @transpose_shape(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{result shape must be [4, 3, 2]}}
  %0 = dojo.transpose %a perm [2, 1, 0] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{changes the element count: 24 vs 25}}
  %0 = dojo.reshape %a : tensor<2x3x4xf32> -> tensor<5x5xf32>
  return
}

// -----

func.func @reshape_type(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{input and result element types differ: 'f32' vs 'bf16'}}
  %0 = dojo.reshape %a : tensor<2x3x4xf32> -> tensor<6x4xbf16>
  return
}

// -----

func.func @concat_sizes(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+1 {{input 1 has size 3 in dimension 0, expected 2}}
  %0 = dojo.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_result(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{result shape must be [4, 3]}}
  %0 = dojo.concat %a, %b axis 0 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @slice_bounds(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{slice exceeds dimension 1 of size 8}}
  %0 = dojo.slice %a offsets [0, 2] sizes [4, 4] strides [1, 2] : tensor<4x8xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @slice_result(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape must be [2, 3]}}
  %0 = dojo.slice %a offsets [0, 0] sizes [2, 3] strides [1, 1] : tensor<4x8xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{padding must be non-negative}}
  %0 = dojo.pad %a low [0, -1] high [0, 0] : tensor<4x8xf32> -> tensor<4x7xf32>
  return
}

// -----

func.func @pad_result(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{result shape must be [5, 10]}}
  %0 = dojo.pad %a low [0, 1] high [1, 1] : tensor<4x8xf32> -> tensor<5x9xf32>
  return
}

// -----

func.func @gather_result(%t: tensor<10x4xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{result shape must be [3, 4]}}
  %0 = dojo.gather %t[%i] : tensor<10x4xf32>, tensor<3xi32> -> tensor<3x10xf32>
  return
}

// -----

func.func @gather_index_type(%t: tensor<10x4xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = dojo.gather %t[%i] : tensor<10x4xf32>, tensor<3xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @gather_table(%t: tensor<10xf32>, %i: tensor<3xi32>) {
  // expected-error @+1 {{expects a rank-2 table [rows, columns]}}
  %0 = dojo.gather %t[%i] : tensor<10xf32>, tensor<3xi32> -> tensor<3xf32>
  return
}
