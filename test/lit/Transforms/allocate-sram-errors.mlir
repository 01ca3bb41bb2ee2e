// RUN: dojo-opt %s --split-input-file --dojo-allocate-sram --verify-diagnostics

// A layer that cannot fit a 4 KiB SRAM: the error names the core, the bytes
// needed and the bytes free, with a note per buffer.
module attributes {dojo.target = #dojo.target<tiny, sram_bytes = 4096, disabled = "0:0">} {
func.func @too_big(%x: tensor<16x64xbf16>, %w: tensor<64x64xbf16>) -> tensor<16x64xbf16> {
  // expected-error @+1 {{kernel does not fit in SRAM: core (0, 1) needs 16384 bytes but only 4096 bytes are free}}
  %0 = dojo.kernel grid [1, 1]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w : tensor<16x64xbf16>, tensor<64x64xbf16>) attributes {place_rows = array<i64: 0>, place_cols = array<i64: 1>} -> tensor<16x64xbf16> {
  // expected-note @+2 {{input tile 0: 2048 bytes}}
  // expected-note @+1 {{input tile 1: 8192 bytes}}
  ^bb0(%tx: tensor<16x64xbf16>, %tw: tensor<64x64xbf16>):
    // expected-note @+2 {{fp32 accumulator: 4096 bytes}}
    // expected-note @+1 {{result of dojo.matmul: 2048 bytes}}
    %m = dojo.matmul %tx, %tw : tensor<16x64xbf16>, tensor<64x64xbf16> -> tensor<16x64xbf16>
    dojo.yield %m : tensor<16x64xbf16>
  }
  return %0 : tensor<16x64xbf16>
}
}
