// Two-layer MLP in linalg on tensors (small variant for quick tests: batch 16, 32 -> 64 -> 32), BF16:
//   y = relu(x * w1 + b1) * w2 + b2
// x: 16x32, w1: 32x64, b1: 64, w2: 64x32, b2: 32.
//
// Run it on the simulator and check it against the reference interpreter:
//   build/bin/dojo-run examples/mlp_small.mlir --target=small --verify --report

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

func.func @mlp(%x: tensor<16x32xbf16>, %w1: tensor<32x64xbf16>,
               %b1: tensor<64xbf16>, %w2: tensor<64x32xbf16>,
               %b2: tensor<32xbf16>) -> tensor<16x32xbf16> {
  %zero = arith.constant 0.0 : bf16

  // Layer 1: h = relu(x * w1 + b1)
  %e1 = tensor.empty() : tensor<16x64xbf16>
  %z1 = linalg.fill ins(%zero : bf16) outs(%e1 : tensor<16x64xbf16>) -> tensor<16x64xbf16>
  %mm1 = linalg.matmul ins(%x, %w1 : tensor<16x32xbf16>, tensor<32x64xbf16>)
                       outs(%z1 : tensor<16x64xbf16>) -> tensor<16x64xbf16>
  %a1 = linalg.generic {indexing_maps = [#id, #row, #id],
                        iterator_types = ["parallel", "parallel"]}
      ins(%mm1, %b1 : tensor<16x64xbf16>, tensor<64xbf16>)
      outs(%e1 : tensor<16x64xbf16>) {
  ^bb0(%m: bf16, %b: bf16, %out: bf16):
    %s = arith.addf %m, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<16x64xbf16>
  %h = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a1 : tensor<16x64xbf16>) outs(%e1 : tensor<16x64xbf16>) {
  ^bb0(%v: bf16, %out: bf16):
    %r = arith.maximumf %v, %zero : bf16
    linalg.yield %r : bf16
  } -> tensor<16x64xbf16>

  // Layer 2: y = h * w2 + b2
  %e2 = tensor.empty() : tensor<16x32xbf16>
  %z2 = linalg.fill ins(%zero : bf16) outs(%e2 : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  %mm2 = linalg.matmul ins(%h, %w2 : tensor<16x64xbf16>, tensor<64x32xbf16>)
                       outs(%z2 : tensor<16x32xbf16>) -> tensor<16x32xbf16>
  %y = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm2, %b2 : tensor<16x32xbf16>, tensor<32xbf16>)
      outs(%e2 : tensor<16x32xbf16>) {
  ^bb0(%m: bf16, %b: bf16, %out: bf16):
    %s = arith.addf %m, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<16x32xbf16>
  return %y : tensor<16x32xbf16>
}
