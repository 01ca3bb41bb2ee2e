// @valid of Transforms/tile-crop.mlir: a window product whose valid
// positions are sliced out (dojo-tile folds the slice into crop).
func.func @valid(%a: tensor<126x4xbf16>, %b: tensor<16x8xbf16>) -> tensor<2x4x5x8xf32> {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 7, 8>} : tensor<126x4xbf16>, tensor<16x8xbf16> -> tensor<84x8xf32>
  %1 = dojo.reshape %0 : tensor<84x8xf32> -> tensor<2x6x7x8xf32>
  %2 = dojo.slice %1 offsets [0, 0, 0, 0] sizes [2, 4, 5, 8] strides [1, 1, 1, 1] : tensor<2x6x7x8xf32> -> tensor<2x4x5x8xf32>
  return %2 : tensor<2x4x5x8xf32>
}
