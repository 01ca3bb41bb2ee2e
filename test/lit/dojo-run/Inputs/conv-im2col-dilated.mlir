// Dilation 2, stride 2, uneven padding (top 1, bottom 2), a 3 x 1 kernel
// (taps (0, 0), (2, 0), (4, 0) of the padded image), 40 channels, three
// images.
func.func @main(%x: tensor<3x9x8x40xbf16>, %w: tensor<3x1x40x72xbf16>) -> tensor<3x4x4x72xbf16> {
  %y = dojo.conv2d %x, %w layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 0, 2, 0>, dilations = array<i64: 2, 2>} : tensor<3x9x8x40xbf16>, tensor<3x1x40x72xbf16> -> tensor<3x4x4x72xbf16>
  return %y : tensor<3x4x4x72xbf16>
}
