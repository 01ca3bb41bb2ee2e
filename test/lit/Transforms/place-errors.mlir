// RUN: dojo-opt %s --dojo-place --verify-diagnostics

module attributes {dojo.target = #dojo.target<tiny, disabled = "0:0">} {
func.func @too_many(%a: tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  // expected-error @+1 {{needs 4 cores but target 'tiny' has 3 enabled}}
  %0 = dojo.kernel grid [4] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<2x4xbf16>):
    %r = dojo.relu %t : tensor<2x4xbf16>
    dojo.yield %r : tensor<2x4xbf16>
  }
  return %0 : tensor<8x4xbf16>
}
}
