// A tall matmul + GELU on one core: the GELU's two FP32 scratch tiles count
// in dojo-tile's footprint, so the row split leaves tiles that fit (see
// split-rows.mlir).
func.func @f(%a: tensor<2100x4xbf16>, %b: tensor<4x256xbf16>) -> tensor<2100x256xf32> {
  %0 = dojo.matmul %a, %b : tensor<2100x4xbf16>, tensor<4x256xbf16> -> tensor<2100x256xf32>
  %1 = dojo.gelu %0 approximate tanh : tensor<2100x256xf32>
  return %1 : tensor<2100x256xf32>
}
