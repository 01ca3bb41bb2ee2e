// A forced 1-D row grid: every core holds all of B; ragged last tile.
// RUN: dojo-opt %s --dojo-tile=grid=3 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{grid=3}" | FileCheck %s --check-prefix=RUN1
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0) -> (d0, 0)>
// CHECK-DAG: #[[ALL:.*]] = affine_map<(d0) -> (0, 0)>
// CHECK: dojo.kernel grid [3] maps [#[[ROW]], #[[ALL]], #[[ROW]]]
// CHECK: dojo.matmul {{.*}} : tensor<4x8xbf16>, tensor<8x8xbf16> -> tensor<4x8xf32>
// RUN1: verdict: PASS (max abs err 0, max rel err 0), bit-exact
module attributes {dojo.target = #dojo.target<small>} {
func.func @flat(%a: tensor<10x8xbf16>, %b: tensor<8x8xbf16>) -> tensor<10x8xf32> {
  %0 = dojo.matmul %a, %b : tensor<10x8xbf16>, tensor<8x8xbf16> -> tensor<10x8xf32>
  return %0 : tensor<10x8xf32>
}
}
