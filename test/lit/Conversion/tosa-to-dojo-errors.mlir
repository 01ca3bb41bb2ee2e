// RUN: dojo-opt %s --split-input-file --convert-tosa-to-dojo --verify-diagnostics

func.func @mul_shift(%x: tensor<2x3xf32>, %shift: tensor<1xi8>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.mul' op with a non-zero or non-constant shift is not supported by convert-tosa-to-dojo}}
  %m = tosa.mul %x, %x, %shift : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

func.func @clamp(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.clamp' op is only supported as relu: min_val 0 and max_val +inf}}
  %c = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

func.func @maximum_ignore(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.maximum' op with nan_mode IGNORE is not supported by convert-tosa-to-dojo (dojo propagates NaN)}}
  %m = tosa.maximum %x, %x {nan_mode = #tosa.nan_mode<IGNORE>} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// -----

func.func @int_add(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'tosa.add' op on element type 'i32' is not supported by convert-tosa-to-dojo (dojo ops take f32 and bf16)}}
  %a = tosa.add %x, %x : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  return %a : tensor<2x3xi32>
}

// -----

func.func @unsupported(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.abs' op is not supported by convert-tosa-to-dojo}}
  %a = tosa.abs %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @weights_const(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.const' op is not supported by convert-tosa-to-dojo: dojo graphs take tensors as function arguments}}
  %w = "tosa.const"() <{values = dense<1.0> : tensor<2x3xf32>}> : () -> tensor<2x3xf32>
  %a = tosa.add %x, %w : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a : tensor<2x3xf32>
}

// -----

func.func @gather_batch(%t: tensor<2x10x8xf32>, %i: tensor<2x5xi32>) -> tensor<2x5x8xf32> {
  // expected-error @+1 {{'tosa.gather' op with a batch of tables (N > 1) is not supported by convert-tosa-to-dojo}}
  %g = tosa.gather %t, %i : (tensor<2x10x8xf32>, tensor<2x5xi32>) -> tensor<2x5x8xf32>
  return %g : tensor<2x5x8xf32>
}

// -----

func.func @conv_zp(%x: tensor<1x4x4x3xf32>, %w: tensor<2x1x1x3xf32>, %b: tensor<2xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x2xf32> {
  %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  // expected-error @+1 {{'tosa.conv2d' op with a non-zero or non-constant input zero point is not supported by convert-tosa-to-dojo}}
  %c = tosa.conv2d %x, %w, %b, %zp, %z {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %c : tensor<1x4x4x2xf32>
}

// -----

func.func @cast_int(%x: tensor<2x3xi32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'tosa.cast' op from 'i32' is not supported by convert-tosa-to-dojo (f32 and bf16 only)}}
  %c = tosa.cast %x : (tensor<2x3xi32>) -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'tosa.exp' op with dynamic shape 'tensor<?x3xf32>' is not supported by convert-tosa-to-dojo}}
  %e = tosa.exp %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %e : tensor<?x3xf32>
}
