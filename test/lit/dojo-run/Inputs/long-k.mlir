// A matmul whose single A row (40000 bf16 = 80 KB) and B column block
// cannot fit a small SRAM however it is split (see errors.test and
// Pipeline/does-not-fit.mlir).
func.func @long_k(%a: tensor<8x40000xbf16>, %b: tensor<40000x8xbf16>) -> tensor<8x8xbf16> {
  %0 = dojo.matmul %a, %b : tensor<8x40000xbf16>, tensor<40000x8xbf16> -> tensor<8x8xbf16>
  return %0 : tensor<8x8xbf16>
}
