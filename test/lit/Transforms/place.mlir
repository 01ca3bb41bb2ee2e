// RUN: dojo-opt %s --split-input-file --dojo-tile --dojo-place | FileCheck %s

// 4 workers on the tiny 2x2 mesh: the whole mesh.
// CHECK-LABEL: func.func @tiny
// CHECK: dojo.kernel grid [2, 2] {{.*}} attributes {place_cols = array<i64: 0, 1>, place_rows = array<i64: 0, 1>}
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @tiny(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<16x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  return %0 : tensor<16x64xbf16>
}
}

// -----

// A 3x4 grid (ragged row tiles of 22, 22, 20) on a 4x4 mesh with core (1,1)
// disabled: dropping mesh row 1 keeps all four columns, so grid rows 1 and 2
// run on mesh rows 2 and 3.
// CHECK-LABEL: func.func @hole
// CHECK: dojo.kernel grid [3, 4] {{.*}} attributes {place_cols = array<i64: 0, 1, 2, 3>, place_rows = array<i64: 0, 2, 3>}
module attributes {dojo.target = #dojo.target<small, disabled = "1:1">} {
func.func @hole(%x: tensor<64x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<64x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xbf16>
  return %0 : tensor<64x64xbf16>
}
}

// -----

// d1: a 16x16 grid. The disabled cores (4,7) and (17,9) are avoided by
// dropping their rows, (11,2), (8,13) and (14,16) by dropping their
// columns; (0,19) is outside the columns used. Bounding box 17 x 19.
// CHECK-LABEL: func.func @d1
// CHECK: dojo.kernel grid [16, 16] {{.*}} attributes {place_cols = array<i64: 0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 18>, place_rows = array<i64: 0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16>}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1(%x: tensor<256x512xbf16>, %w: tensor<512x1024xbf16>) -> tensor<256x1024xbf16> {
  %0 = dojo.matmul %x, %w : tensor<256x512xbf16>, tensor<512x1024xbf16> -> tensor<256x1024xbf16>
  return %0 : tensor<256x1024xbf16>
}
}
