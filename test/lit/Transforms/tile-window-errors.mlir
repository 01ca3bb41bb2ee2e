// A window product needs a 2-D grid (its A tile streams only with
// multicast).
// RUN: dojo-opt %s --dojo-tile="grid=4" --verify-diagnostics

module attributes {dojo.target = #dojo.target<small>} {
func.func @w(%a: tensor<300x16xbf16>, %b: tensor<144x32xbf16>) -> tensor<200x32xf32> {
  // expected-error @+1 {{a window product needs a 2-D grid, got a forced 1-D grid}}
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 2, 12, 13, 14, 24, 25, 26>} : tensor<300x16xbf16>, tensor<144x32xbf16> -> tensor<200x32xf32>
  return %0 : tensor<200x32xf32>
}
}
