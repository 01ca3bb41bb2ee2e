// RUN: dojo-opt %s --split-input-file --dojo-schedule --verify-diagnostics

#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @unplaced(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{must be placed and allocated before scheduling (run dojo-place and dojo-allocate-sram)}}
  %0 = dojo.kernel grid [2] maps [#a, #a] ins(%x : tensor<8x4xf32>) -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>):
    dojo.yield %t : tensor<4x4xf32>
  }
  return %0 : tensor<8x4xf32>
}
}

// -----

module attributes {dojo.target = #dojo.target<tiny, semaphores = 1>} {
// expected-error @+1 {{dojo-schedule needs 2 semaphores per core, target has 1}}
func.func @one_sem(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  return %x : tensor<8x4xf32>
}
}
