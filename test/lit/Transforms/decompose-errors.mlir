// RUN: dojo-opt %s --split-input-file --dojo-decompose --verify-diagnostics

func.func @f32_conv(%x: tensor<1x5x5x3xf32>, %w: tensor<3x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  // expected-error @+1 {{has 'f32' operands; convolutions run on the matrix unit, which takes bf16 operands}}
  %0 = dojo.conv2d %x, %w layout nhwc : tensor<1x5x5x3xf32>, tensor<3x3x3x4xf32> -> tensor<1x3x3x4xf32>
  return %0 : tensor<1x3x3x4xf32>
}

// -----

func.func @column_lhs_div(%x: tensor<4x6xf32>, %c: tensor<4x1xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{with a per-row first operand 'tensor<4x1xf32>' is not supported by the vector unit (it broadcasts only its second operand)}}
  %0 = dojo.div %c, %x : tensor<4x1xf32>, tensor<4x6xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
