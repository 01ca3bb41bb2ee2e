// RUN: dojo-opt %s --dojo-tile="grid=11" --verify-diagnostics

// A forced 1-D grid must split the rows into non-empty tiles.
module attributes {dojo.target = #dojo.target<small>} {
func.func @flat(%a: tensor<10x8xbf16>, %b: tensor<8x8xbf16>) -> tensor<10x8xf32> {
  // expected-error @+1 {{forced grid must split 10 rows into non-empty tiles, got 11}}
  %0 = dojo.matmul %a, %b : tensor<10x8xbf16>, tensor<8x8xbf16> -> tensor<10x8xf32>
  return %0 : tensor<10x8xf32>
}
}
