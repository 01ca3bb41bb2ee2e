// dojo-run/fuse-views.mlir: non-commutative ops rebuilt through a window
// product's views and valid-position slice (the operand order matters):
// (conv3x3(x) + b) - m, then divided by s, both rows of 16.
func.func @sub_view(%x: tensor<2x10x8x16xbf16>, %w: tensor<3x3x16x16xbf16>, %b: tensor<16xbf16>,
                    %m: tensor<16xbf16>, %s: tensor<16xbf16>) -> tensor<2x10x8x16xbf16> {
  %0 = dojo.conv2d %x, %w, %b layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<2x10x8x16xbf16>, tensor<3x3x16x16xbf16>, tensor<16xbf16> -> tensor<2x10x8x16xbf16>
  %1 = dojo.sub %0, %m : tensor<2x10x8x16xbf16>, tensor<16xbf16> -> tensor<2x10x8x16xbf16>
  %2 = dojo.div %1, %s : tensor<2x10x8x16xbf16>, tensor<16xbf16> -> tensor<2x10x8x16xbf16>
  return %2 : tensor<2x10x8x16xbf16>
}
