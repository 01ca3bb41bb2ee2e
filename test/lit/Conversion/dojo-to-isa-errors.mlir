// RUN: dojo-opt %s --split-input-file --convert-dojo-to-isa --verify-diagnostics

#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @f32_matmul(%x: tensor<8x4xf32>, %w: tensor<4x4xf32>) -> tensor<8x4xf32> {
  %0 = dojo.kernel grid [1] maps [#a, affine_map<(i) -> (0, 0)>, #a] ins(%x, %w : tensor<8x4xf32>, tensor<4x4xf32>)
      attributes {arg_offsets = array<i64: 0, 128>, place_rows = array<i64: 0>, place_cols = array<i64: 0>, sems = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<8x4xf32>, %u: tensor<4x4xf32>):
    // expected-error @+1 {{has no FP32 scratch; run dojo-allocate-sram}}
    %r = dojo.matmul %t, %u {dojo.sram_offset = 256 : i64} : tensor<8x4xf32>, tensor<4x4xf32> -> tensor<8x4xf32>
    dojo.yield %r : tensor<8x4xf32>
  }
  return %0 : tensor<8x4xf32>
}
}

// -----

#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @unscheduled(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  // expected-error @+1 {{must be placed, allocated and scheduled before convert-dojo-to-isa}}
  %0 = dojo.kernel grid [2] maps [#a, #a] ins(%x : tensor<8x4xf32>) attributes {place_rows = array<i64: 0>, place_cols = array<i64: 0, 1>} -> tensor<8x4xf32> {
  ^bb0(%t: tensor<4x4xf32>):
    dojo.yield %t : tensor<4x4xf32>
  }
  return %0 : tensor<8x4xf32>
}
}

// -----

// expected-error @+1 {{convert-dojo-to-isa expects exactly one function, found 2}}
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @a() { return }
func.func @b() { return }
}

// -----

module attributes {dojo.target = #dojo.target<tiny>} {
func.func @f() -> tensor<2x2xf32> {
  // expected-error @+1 {{non-splat tensor constants cannot be lowered to the ISA; pass them as arguments}}
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  return %c : tensor<2x2xf32>
}
}
