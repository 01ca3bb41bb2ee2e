func.func @contractions(%a: tensor<2x4x8xbf16>, %b: tensor<2x8x5xbf16>,
                        %x: tensor<1x9x9x3xbf16>, %w: tensor<8x3x3x3xbf16>, %bias: tensor<8xbf16>,
                        %dw: tensor<3x3x3x2xbf16>, %b1: tensor<1xbf16>) -> (tensor<2x4x5xf32>, tensor<1x5x5x8xbf16>, tensor<1x9x9x6xbf16>) {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xbf16>}> : () -> tensor<1xbf16>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<2x4x8xbf16>, tensor<2x8x5xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<2x4x5xf32>
  %c = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 2, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>}
      : (tensor<1x9x9x3xbf16>, tensor<8x3x3x3xbf16>, tensor<8xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x5x5x8xbf16>
  %d = tosa.depthwise_conv2d %x, %dw, %b1, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
      : (tensor<1x9x9x3xbf16>, tensor<3x3x3x2xbf16>, tensor<1xbf16>, tensor<1xbf16>, tensor<1xbf16>) -> tensor<1x9x9x6xbf16>
  return %m, %c, %d : tensor<2x4x5xf32>, tensor<1x5x5x8xbf16>, tensor<1x9x9x6xbf16>
}
