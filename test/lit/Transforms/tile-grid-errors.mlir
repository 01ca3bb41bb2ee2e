// RUN: dojo-opt %s --dojo-tile="grid=7,1" --verify-diagnostics

module attributes {dojo.target = #dojo.target<tiny>} {
func.func @bad_grid(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<16x64xbf16> {
  // expected-error @+1 {{forced grid must split 16x64 into non-empty tiles, got 2 value(s)}}
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  return %0 : tensor<16x64xbf16>
}
}
