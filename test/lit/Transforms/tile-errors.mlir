// RUN: dojo-opt %s --split-input-file --dojo-tile --verify-diagnostics

// expected-error @+1 {{no machine description: set the module attribute 'dojo.target'}}
func.func @no_target(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = dojo.relu %x : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

module attributes {dojo.target = #dojo.target<tiny>} {
func.func @rank3(%x: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  // expected-error @+1 {{has rank 3; dojo-tile supports rank 1 and 2}}
  %0 = dojo.relu %x : tensor<2x4x4xf32>
  return %0 : tensor<2x4x4xf32>
}
}
