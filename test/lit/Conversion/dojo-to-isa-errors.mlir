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

// -----

// A pipelined epilogue needs its two semaphores after the load and store
// ones (dojo-schedule adds them).
#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @epilogue_sems(%x: tensor<32x8xbf16>, %w: tensor<8x8xbf16>) -> tensor<32x8xf32> {
  // expected-error @+1 {{has dojo.epilogue_chunks but fewer than four semaphores}}
  %0 = dojo.kernel grid [1] maps [#a, affine_map<(i) -> (0, 0)>, #a] ins(%x, %w : tensor<32x8xbf16>, tensor<8x8xbf16>)
      attributes {arg_offsets = array<i64: 0, 512>, dojo.epilogue_chunks = 2 : i64, dojo.matmul_live, place_rows = array<i64: 0>, place_cols = array<i64: 0>, sems = array<i64: 0, 1>} -> tensor<32x8xf32> {
  ^bb0(%t: tensor<32x8xbf16>, %u: tensor<8x8xbf16>):
    %r = dojo.matmul %t, %u {dojo.sram_offset = 640 : i64} : tensor<32x8xbf16>, tensor<8x8xbf16> -> tensor<32x8xf32>
    dojo.yield %r : tensor<32x8xf32>
  }
  return %0 : tensor<32x8xf32>
}
}

// -----

// A row-chunked kernel keeps one edge address per full-row input in a
// register (7 of them).
#a = affine_map<(i) -> (i, 0)>
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @row_chunk_inputs(%x: tensor<64x16xf32>) -> tensor<64x16xf32> {
  // expected-error @+1 {{has more than 7 row-chunked inputs; allocate it without row chunks}}
  %0 = dojo.kernel grid [1] maps [#a, #a, #a, #a, #a, #a, #a, #a, #a] ins(%x, %x, %x, %x, %x, %x, %x, %x : tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>, tensor<64x16xf32>)
      attributes {arg_offsets = array<i64: 0, 4096, 8192, 12288, 16384, 20480, 24576, 28672>, dojo.row_chunks = 4 : i64, place_rows = array<i64: 0>, place_cols = array<i64: 0>, sems = array<i64: 0, 1>} -> tensor<64x16xf32> {
  ^bb0(%a0: tensor<64x16xf32>, %a1: tensor<64x16xf32>, %a2: tensor<64x16xf32>, %a3: tensor<64x16xf32>, %a4: tensor<64x16xf32>, %a5: tensor<64x16xf32>, %a6: tensor<64x16xf32>, %a7: tensor<64x16xf32>):
    %r = dojo.add %a0, %a7 {dojo.sram_offset = 32768 : i64} : tensor<64x16xf32>, tensor<64x16xf32> -> tensor<64x16xf32>
    dojo.yield %r : tensor<64x16xf32>
  }
  return %0 : tensor<64x16xf32>
}
}

// -----

// A gathered A needs three A semaphores (two for the slices, one for the
// permissions thread 0 gives its thread 1); dojo-schedule sets them.
#a = affine_map<(d0, d1) -> (d0, 0)>
#b = affine_map<(d0, d1) -> (0, d1)>
#c = affine_map<(d0, d1) -> (d0, d1)>
module attributes {dojo.target = #dojo.target<small>} {
func.func @gather_sems(%x: tensor<64x256xbf16>, %w: tensor<256x128xbf16>) -> tensor<64x128xf32> attributes {dojo.placement = "cross"} {
  // expected-error @+1 {{has dojo.a_gather but is not a plain matmul on an unfolded grid of more than one column with three A semaphores}}
  %0 = dojo.kernel grid [4, 4] maps [#a, #b, #c] ins(%x, %w : tensor<64x256xbf16>, tensor<256x128xbf16>)
      attributes {arg_offsets = array<i64: 0, 8192>, dojo.a_gather, dojo.matmul_live, dojo.senders = array<i64: 2, 2>, k_chunks = 4 : i64, multicast, place_cols = array<i64: 0, 1, 2, 3>, place_rows = array<i64: 0, 1, 2, 3>, sems = array<i64: 0, 1, 2, 3, 4, 5, 6, 7>} -> tensor<64x128xf32> {
  ^bb0(%t: tensor<16x256xbf16>, %u: tensor<256x32xbf16>):
    %r = dojo.matmul %t, %u {dojo.scratch_offset = 24576 : i64, dojo.sram_offset = 24576 : i64} : tensor<16x256xbf16>, tensor<256x32xbf16> -> tensor<16x32xf32>
    dojo.yield %r : tensor<16x32xf32>
  }
  return %0 : tensor<64x128xf32>
}
}
