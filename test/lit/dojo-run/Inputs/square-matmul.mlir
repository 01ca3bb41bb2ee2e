// A matmul whose per-core tiles are compute-bound (see streaming.test).
func.func @f(%a: tensor<203x512xbf16>, %b: tensor<512x197xbf16>) -> tensor<203x197xf32> {
  %0 = dojo.matmul %a, %b : tensor<203x512xbf16>, tensor<512x197xbf16> -> tensor<203x197xf32>
  return %0 : tensor<203x197xf32>
}
