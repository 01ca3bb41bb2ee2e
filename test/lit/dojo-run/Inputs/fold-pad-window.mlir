// @wide of Transforms/tile-fold-pad.mlir (dojo-run takes one function): a
// window product over a zero-padded 5 x 30 image (dojo-tile folds the pad
// into the kernel's loads: pad_input).
func.func @wide(%x: tensor<1x5x30x4xbf16>, %w: tensor<36x8xbf16>) -> tensor<224x8xf32> {
  %p = dojo.pad %x low [0, 1, 1, 0] high [1, 1, 1, 0] value 0.0 : tensor<1x5x30x4xbf16> -> tensor<2x7x32x4xbf16>
  %f = dojo.reshape %p : tensor<2x7x32x4xbf16> -> tensor<448x4xbf16>
  %0 = dojo.matmul %f, %w {window = array<i64: 0, 1, 2, 32, 33, 34, 64, 65, 66>} : tensor<448x4xbf16>, tensor<36x8xbf16> -> tensor<224x8xf32>
  return %0 : tensor<224x8xf32>
}
