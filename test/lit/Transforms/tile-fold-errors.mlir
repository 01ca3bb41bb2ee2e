// A forced fold that leaves its last fold empty is refused.
// RUN: dojo-opt %s --dojo-tile="grid=7,2 fold=5" --verify-diagnostics

module attributes {dojo.target = #dojo.target<small>} {
func.func @tall(%a: tensor<300x200xbf16>, %b: tensor<200x70xbf16>) -> tensor<300x70xbf16> {
  // expected-error @+1 {{forced fold 5 leaves the last fold of 7 grid rows empty}}
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x70xbf16> -> tensor<300x70xbf16>
  return %0 : tensor<300x70xbf16>
}
}
