// Two matmul layers whose best grids could not share one placement on d1
// (16 rows x 16 columns for the first, 19 columns for the second: no 16
// hole-free rows have 19 hole-free columns). dojo-tile only picks grids
// that keep the whole program placeable.
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @mlp(%x: tensor<64x256xbf16>, %w1: tensor<256x512xbf16>, %b1: tensor<512xbf16>,
               %w2: tensor<512x128xbf16>, %b2: tensor<128xbf16>) -> tensor<64x128xbf16> {
  %0 = dojo.matmul %x, %w1 : tensor<64x256xbf16>, tensor<256x512xbf16> -> tensor<64x512xbf16>
  %1 = dojo.add %0, %b1 : tensor<64x512xbf16>, tensor<512xbf16> -> tensor<64x512xbf16>
  %2 = dojo.relu %1 : tensor<64x512xbf16>
  %3 = dojo.matmul %2, %w2 : tensor<64x512xbf16>, tensor<512x128xbf16> -> tensor<64x128xbf16>
  %4 = dojo.add %3, %b2 : tensor<64x128xbf16>, tensor<128xbf16> -> tensor<64x128xbf16>
  return %4 : tensor<64x128xbf16>
}
