// A 3-channel image (6 bytes a pixel), 7 x 7 stride 2: im2col by a copy.
func.func @main(%x: tensor<1x16x16x3xbf16>, %w: tensor<7x7x3x8xbf16>) -> tensor<1x8x8x8xbf16> {
  %y = dojo.conv2d %x, %w layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 3, 3, 2, 2>} : tensor<1x16x16x3xbf16>, tensor<7x7x3x8xbf16> -> tensor<1x8x8x8xbf16>
  return %y : tensor<1x8x8x8xbf16>
}
