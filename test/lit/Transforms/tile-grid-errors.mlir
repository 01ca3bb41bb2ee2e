// RUN: dojo-opt %s --dojo-tile="grid=3,1" --verify-diagnostics

module attributes {dojo.target = #dojo.target<tiny>} {
func.func @bad_grid(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<16x64xbf16> {
  // expected-error @+1 {{forced grid must be 2 positive divisors of 16x64}}
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  return %0 : tensor<16x64xbf16>
}
}
