// RUN: dojo-opt %s --dojo-schedule | FileCheck %s

// The second kernel reads what the first wrote to edge memory: a barrier
// separates them. The third reads only arguments: no barrier. The fourth
// reads the third's result: another barrier.
#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
// CHECK-LABEL: func.func @chain
func.func @chain(%x: tensor<8x4xf32>, %y: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // CHECK: %[[K0:.*]] = dojo.kernel {{.*}} ins(%arg0 {{.*}} sems = array<i64: 0, 1>
  %0 = dojo.kernel grid [2] maps [#a, #a] ins(%x : tensor<8x4xf32>)
      attributes {arg_offsets = array<i64: 0>, place_rows = array<i64: 0>, place_cols = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>):
    %r = dojo.relu %t {dojo.sram_offset = 0 : i64} : tensor<4x4xf32>
    dojo.yield %r : tensor<4x4xf32>
  }
  // CHECK: dojo.yield
  // CHECK-NEXT: }
  // CHECK-NEXT: dojo.barrier
  // CHECK-NEXT: %[[K1:.*]] = dojo.kernel {{.*}} ins(%[[K0]]
  %1 = dojo.kernel grid [2] maps [#a, #a] ins(%0 : tensor<8x4xf32>)
      attributes {arg_offsets = array<i64: 0>, place_rows = array<i64: 0>, place_cols = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>):
    %r = dojo.relu %t {dojo.sram_offset = 0 : i64} : tensor<4x4xf32>
    dojo.yield %r : tensor<4x4xf32>
  }
  // CHECK: dojo.yield
  // CHECK-NEXT: }
  // CHECK-NEXT: %[[K2:.*]] = dojo.kernel {{.*}} ins(%arg1
  %2 = dojo.kernel grid [2] maps [#a, #a] ins(%y : tensor<8x4xf32>)
      attributes {arg_offsets = array<i64: 0>, place_rows = array<i64: 0>, place_cols = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>):
    %r = dojo.relu %t {dojo.sram_offset = 0 : i64} : tensor<4x4xf32>
    dojo.yield %r : tensor<4x4xf32>
  }
  // CHECK: dojo.yield
  // CHECK-NEXT: }
  // CHECK-NEXT: dojo.barrier
  // CHECK-NEXT: dojo.kernel {{.*}} ins(%[[K1]], %[[K2]]
  %3 = dojo.kernel grid [2] maps [#a, #a, #a] ins(%1, %2 : tensor<8x4xf32>, tensor<8x4xf32>)
      attributes {arg_offsets = array<i64: 0, 64>, place_rows = array<i64: 0>, place_cols = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>, %u: tensor<4x4xf32>):
    %r = dojo.add %t, %u {dojo.sram_offset = 0 : i64} : tensor<4x4xf32>, tensor<4x4xf32> -> tensor<4x4xf32>
    dojo.yield %r : tensor<4x4xf32>
  }
  return %3 : tensor<8x4xf32>
}
}
