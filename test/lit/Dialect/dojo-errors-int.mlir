// RUN: dojo-opt %s --split-input-file --verify-diagnostics

func.func @compare_types(%a: tensor<4xf32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{operand element types differ: 'f32' vs 'i64'}}
  %0 = dojo.compare eq %a, %b : tensor<4xf32>, tensor<4xi64> -> tensor<4xi1>
  return
}

// -----

func.func @compare_broadcast(%a: tensor<4x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{operands are not broadcast-compatible in dimension 1: 3 vs 4}}
  %0 = dojo.compare gt %a, %b : tensor<4x3xf32>, tensor<4xf32> -> tensor<4x3xi1>
  return
}

// -----

func.func @compare_result(%a: tensor<4x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = dojo.compare gt %a, %b : tensor<4x3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @select_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xbf16>) {
  // expected-error @+1 {{value element types differ: 'f32' vs 'bf16'}}
  %0 = dojo.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<4xbf16> -> tensor<4xf32>
  return
}

// -----

func.func @select_shape(%c: tensor<2x4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{result dimension 0 must be 2}}
  %0 = dojo.select %c, %a, %b : tensor<2x4xi1>, tensor<4xf32>, tensor<4xf32> -> tensor<1x4xf32>
  return
}

// -----

func.func @logical_types(%a: tensor<4xi1>, %b: tensor<4xi8>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 1-bit signless integer values}}
  %0 = dojo.logical_and %a, %b : tensor<4xi1>, tensor<4xi8> -> tensor<4xi1>
  return
}

// -----

func.func @logical_shape(%a: tensor<3x4xi1>, %b: tensor<4xi1>) {
  // expected-error @+1 {{result dimension 0 must be 3}}
  %0 = dojo.logical_or %a, %b : tensor<3x4xi1>, tensor<4xi1> -> tensor<1x4xi1>
  return
}

// -----

func.func @convert_shape(%a: tensor<4xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = dojo.convert %a : tensor<4xf32> -> tensor<2xi32>
  return
}

// -----

func.func @argmax_axis(%a: tensor<4x5xf32>) {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = dojo.argmax %a axis 2 : tensor<4x5xf32> -> tensor<4xi64>
  return
}

// -----

func.func @argmax_result(%a: tensor<4x5xf32>) {
  // expected-error @+1 {{result shape must be [4, 1]}}
  %0 = dojo.argmin %a axis 1 keepdim : tensor<4x5xf32> -> tensor<4xi64>
  return
}

// -----

func.func @argmax_empty(%a: tensor<4x0xf32>) {
  // expected-error @+1 {{reduces an empty axis}}
  %0 = dojo.argmax %a axis 1 : tensor<4x0xf32> -> tensor<4xi64>
  return
}

// -----

func.func @argmax_type(%a: tensor<4x5xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = dojo.argmax %a axis 1 : tensor<4x5xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_prod_axes(%a: tensor<4x5xf32>) {
  // expected-error @+1 {{axes must be strictly increasing}}
  %0 = dojo.reduce_prod %a axes [1, 0] : tensor<4x5xf32> -> tensor<f32>
  return
}

// -----

func.func @pow_types(%a: tensor<4xf32>, %b: tensor<4xbf16>) {
  // expected-error @+1 {{operand and result element types must match}}
  %0 = dojo.pow %a, %b : tensor<4xf32>, tensor<4xbf16> -> tensor<4xf32>
  return
}

// -----

func.func @reshape_types(%a: tensor<4xi64>) {
  // expected-error @+1 {{input and result element types differ: 'i64' vs 'i32'}}
  %0 = dojo.reshape %a : tensor<4xi64> -> tensor<2x2xi32>
  return
}
