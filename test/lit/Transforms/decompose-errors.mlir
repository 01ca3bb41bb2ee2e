// RUN: dojo-opt %s --split-input-file --dojo-decompose --verify-diagnostics

func.func @column_lhs_div(%x: tensor<4x6xf32>, %c: tensor<4x1xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{with a per-row first operand 'tensor<4x1xf32>' is not supported by the vector unit (it broadcasts only its second operand)}}
  %0 = dojo.div %c, %x : tensor<4x1xf32>, tensor<4x6xf32> -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}
