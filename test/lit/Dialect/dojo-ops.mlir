// RUN: dojo-opt %s | FileCheck %s
// Round trip: print, parse again, print the same.
// RUN: dojo-opt %s | dojo-opt | FileCheck %s

// CHECK: module attributes {dojo.target = #dojo.target<small, sram_bytes = 2097152, disabled = "1:1">}
module attributes {dojo.target = #dojo.target<small, sram_bytes = 2097152, disabled = "1:1">} {
// CHECK-LABEL: func.func @ops
func.func @ops(%a: tensor<8x4xbf16>, %b: tensor<4x16xbf16>, %bias: tensor<16xbf16>) -> tensor<8x16xbf16> {
  // CHECK: dojo.matmul %{{.*}}, %{{.*}} : tensor<8x4xbf16>, tensor<4x16xbf16> -> tensor<8x16xbf16>
  %0 = dojo.matmul %a, %b : tensor<8x4xbf16>, tensor<4x16xbf16> -> tensor<8x16xbf16>
  // CHECK: dojo.add %{{.*}}, %{{.*}} : tensor<8x16xbf16>, tensor<16xbf16> -> tensor<8x16xbf16>
  %1 = dojo.add %0, %bias : tensor<8x16xbf16>, tensor<16xbf16> -> tensor<8x16xbf16>
  // CHECK: dojo.relu %{{.*}} : tensor<8x16xbf16>
  %2 = dojo.relu %1 : tensor<8x16xbf16>
  return %2 : tensor<8x16xbf16>
}

// CHECK-LABEL: func.func @kernel
func.func @kernel(%a: tensor<8x4xbf16>, %b: tensor<4x16xbf16>) -> tensor<8x16xbf16> {
  // CHECK: dojo.kernel grid [2, 2] maps [#{{.*}}, #{{.*}}, #{{.*}}] ins(%{{.*}}, %{{.*}} : tensor<8x4xbf16>, tensor<4x16xbf16>) attributes {place_cols = array<i64: 0, 1, 2>, place_rows = array<i64: 0, 1>} -> tensor<8x16xbf16>
  %0 = dojo.kernel grid [2, 2]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%a, %b : tensor<8x4xbf16>, tensor<4x16xbf16>) attributes {place_rows = array<i64: 0, 1>, place_cols = array<i64: 0, 1, 2>} -> tensor<8x16xbf16> {
  ^bb0(%ta: tensor<4x4xbf16>, %tb: tensor<4x8xbf16>):
    %c = dojo.matmul %ta, %tb : tensor<4x4xbf16>, tensor<4x8xbf16> -> tensor<4x8xbf16>
    // CHECK: dojo.yield %{{.*}} : tensor<4x8xbf16>
    dojo.yield %c : tensor<4x8xbf16>
  }
  // A ragged tiling: 3 tiles of 3 rows cover 8 rows (the last has 2).
  // CHECK: dojo.kernel grid [3] maps
  %1 = dojo.kernel grid [3] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%a : tensor<8x4xbf16>) -> tensor<8x4xbf16> {
  ^bb0(%t: tensor<3x4xbf16>):
    %r = dojo.relu %t : tensor<3x4xbf16>
    dojo.yield %r : tensor<3x4xbf16>
  }
  // CHECK: dojo.barrier
  dojo.barrier
  return %0 : tensor<8x16xbf16>
}
}
