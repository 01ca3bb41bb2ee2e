#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @mlp(%x: tensor<16x32xbf16>, %w1: tensor<32x64xbf16>, %b1: tensor<64xbf16>,
               %w2: tensor<64x32xbf16>, %b2: tensor<32xbf16>) -> tensor<16x32xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e1 = tensor.empty() : tensor<16x64xbf16>
  %f1 = linalg.fill ins(%zero : bf16) outs(%e1 : tensor<16x64xbf16>) -> tensor<16x64xbf16>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<16x32xbf16>, tensor<32x64xbf16>) outs(%f1 : tensor<16x64xbf16>) -> tensor<16x64xbf16>
  %a1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m1, %b1 : tensor<16x64xbf16>, tensor<64xbf16>) outs(%e1 : tensor<16x64xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %o: bf16):
    %s = arith.addf %a, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<16x64xbf16>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a1 : tensor<16x64xbf16>) outs(%e1 : tensor<16x64xbf16>) {
  ^bb0(%a: bf16, %o: bf16):
    %s = arith.maximumf %a, %zero : bf16
    linalg.yield %s : bf16
  } -> tensor<16x64xbf16>
  %e2 = tensor.empty() : tensor<16x32xbf16>
  %f2 = linalg.fill ins(%zero : bf16) outs(%e2 : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  %m2 = linalg.matmul ins(%r1, %w2 : tensor<16x64xbf16>, tensor<64x32xbf16>) outs(%f2 : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  %a2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m2, %b2 : tensor<16x32xbf16>, tensor<32xbf16>) outs(%e2 : tensor<16x32xbf16>) {
  ^bb0(%a: bf16, %b: bf16, %o: bf16):
    %s = arith.addf %a, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<16x32xbf16>
  return %a2 : tensor<16x32xbf16>
}
