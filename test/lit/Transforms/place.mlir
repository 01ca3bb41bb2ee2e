// RUN: dojo-opt %s --split-input-file --dojo-tile --dojo-place | FileCheck %s

// 4 workers on the tiny 2x2 mesh: the whole mesh.
// CHECK-LABEL: func.func @tiny
// CHECK: dojo.kernel grid [1, 4] {{.*}} attributes {place = array<i64: 0, 0, 2, 2>}
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @tiny(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<16x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<16x32xbf16>, tensor<32x64xbf16> -> tensor<16x64xbf16>
  return %0 : tensor<16x64xbf16>
}
}

// -----

// The cost model uses 8 cores for this small matmul. With core (1,1)
// disabled, the 3x3 square at the origin holds exactly 8 enabled cores, so
// grid point 4 runs on (1,2): the hole is skipped.
// CHECK-LABEL: func.func @hole
// CHECK: dojo.kernel grid [2, 4] {{.*}} attributes {place = array<i64: 0, 0, 3, 3>}
module attributes {dojo.target = #dojo.target<small, disabled = "1:1">} {
func.func @hole(%x: tensor<64x32xbf16>, %w: tensor<32x64xbf16>) -> tensor<64x64xbf16> {
  %0 = dojo.matmul %x, %w : tensor<64x32xbf16>, tensor<32x64xbf16> -> tensor<64x64xbf16>
  return %0 : tensor<64x64xbf16>
}
}

// -----

// d1: 256 workers. The most square rectangle at the origin with 256 enabled
// cores skips the disabled cores (4,7), (8,13), (11,2) and (14,16) inside it.
// CHECK-LABEL: func.func @d1
// CHECK: dojo.kernel grid [8, 32] {{.*}} attributes {place = array<i64: 0, 0, 16, 17>}
module attributes {dojo.target = #dojo.target<d1>} {
func.func @d1(%x: tensor<256x512xbf16>, %w: tensor<512x1024xbf16>) -> tensor<256x1024xbf16> {
  %0 = dojo.matmul %x, %w : tensor<256x512xbf16>, tensor<512x1024xbf16> -> tensor<256x1024xbf16>
  return %0 : tensor<256x1024xbf16>
}
}
