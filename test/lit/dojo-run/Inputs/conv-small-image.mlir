// A 3x3 convolution on small (5 x 6) images.
func.func @f(%x: tensor<4x5x6x8xbf16>, %w: tensor<3x3x8x16xbf16>) -> tensor<4x5x6x16xbf16> {
  %0 = dojo.conv2d %x, %w layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<4x5x6x8xbf16>, tensor<3x3x8x16xbf16> -> tensor<4x5x6x16xbf16>
  return %0 : tensor<4x5x6x16xbf16>
}
