// The bench/sim_speed workload: a 2048x2048x2048 GEMM with BF16 operands and
// an FP32 result (FP32 accumulation, as the matrix unit computes it).
// 2048^3 = 8.59e9 multiply-accumulates.
//
//   build/bin/dojo-opt bench/gemm2048.mlir --dojo-pipeline=target=d1 -o gemm.isa.mlir
//   build/bin/dojo-translate --dojo-to-bin gemm.isa.mlir -o gemm.dojo
//   build/bin/dojo-run gemm.dojo --report

func.func @gemm(%a: tensor<2048x2048xbf16>, %b: tensor<2048x2048xbf16>)
    -> tensor<2048x2048xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2048x2048xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<2048x2048xf32>)
      -> tensor<2048x2048xf32>
  %c = linalg.matmul ins(%a, %b : tensor<2048x2048xbf16>, tensor<2048x2048xbf16>)
                     outs(%z : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  return %c : tensor<2048x2048xf32>
}
