func.func @elementwise(%x: tensor<2x3xf32>, %y: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %a = tosa.add %x, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %s = tosa.sub %a, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %m = tosa.mul %s, %x, %shift : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
  %mx = tosa.maximum %m, %y : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %mn = tosa.minimum %mx, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = tosa.reciprocal %mn : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = tosa.exp %r : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %l = tosa.log %e : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %t = tosa.tanh %l : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %g = tosa.sigmoid %t : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = tosa.rsqrt %g : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %u = tosa.clamp %q {min_val = 0.0 : f32, max_val = 0x7F800000 : f32} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %u : tensor<2x3xf32>
}
