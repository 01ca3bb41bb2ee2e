// Two-layer MLP in linalg on tensors (the bundled example: batch 256, 512 -> 1024 -> 512), BF16:
//   y = relu(x * w1 + b1) * w2 + b2
// x: 256x512, w1: 512x1024, b1: 1024, w2: 1024x512, b2: 512.
//
// Run it on the simulator and check it against the reference interpreter:
//   build/bin/dojo-run examples/mlp.mlir --target=d1 --verify --report

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

func.func @mlp(%x: tensor<256x512xbf16>, %w1: tensor<512x1024xbf16>,
               %b1: tensor<1024xbf16>, %w2: tensor<1024x512xbf16>,
               %b2: tensor<512xbf16>) -> tensor<256x512xbf16> {
  %zero = arith.constant 0.0 : bf16

  // Layer 1: h = relu(x * w1 + b1)
  %e1 = tensor.empty() : tensor<256x1024xbf16>
  %z1 = linalg.fill ins(%zero : bf16) outs(%e1 : tensor<256x1024xbf16>) -> tensor<256x1024xbf16>
  %mm1 = linalg.matmul ins(%x, %w1 : tensor<256x512xbf16>, tensor<512x1024xbf16>)
                       outs(%z1 : tensor<256x1024xbf16>) -> tensor<256x1024xbf16>
  %a1 = linalg.generic {indexing_maps = [#id, #row, #id],
                        iterator_types = ["parallel", "parallel"]}
      ins(%mm1, %b1 : tensor<256x1024xbf16>, tensor<1024xbf16>)
      outs(%e1 : tensor<256x1024xbf16>) {
  ^bb0(%m: bf16, %b: bf16, %out: bf16):
    %s = arith.addf %m, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<256x1024xbf16>
  %h = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a1 : tensor<256x1024xbf16>) outs(%e1 : tensor<256x1024xbf16>) {
  ^bb0(%v: bf16, %out: bf16):
    %r = arith.maximumf %v, %zero : bf16
    linalg.yield %r : bf16
  } -> tensor<256x1024xbf16>

  // Layer 2: y = h * w2 + b2
  %e2 = tensor.empty() : tensor<256x512xbf16>
  %z2 = linalg.fill ins(%zero : bf16) outs(%e2 : tensor<256x512xbf16>) -> tensor<256x512xbf16>
  %mm2 = linalg.matmul ins(%h, %w2 : tensor<256x1024xbf16>, tensor<1024x512xbf16>)
                       outs(%z2 : tensor<256x512xbf16>) -> tensor<256x512xbf16>
  %y = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm2, %b2 : tensor<256x512xbf16>, tensor<512xbf16>)
      outs(%e2 : tensor<256x512xbf16>) {
  ^bb0(%m: bf16, %b: bf16, %out: bf16):
    %s = arith.addf %m, %b : bf16
    linalg.yield %s : bf16
  } -> tensor<256x512xbf16>
  return %y : tensor<256x512xbf16>
}
