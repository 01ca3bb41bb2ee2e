// RUN: dojo-opt %s --dojo-schedule | FileCheck %s
// RUN: dojo-opt %s --dojo-schedule=k-chunks=1 | FileCheck %s --check-prefix=OFF
// RUN: dojo-opt %s --dojo-schedule=k-chunks=3 | FileCheck %s --check-prefix=THREE
// RUN: dojo-opt %s --dojo-schedule=multicast=false | FileCheck %s --check-prefix=NOMC
// RUN: sed 's/tiny>/tiny, threads = 2>/' %s | dojo-opt --dojo-schedule | FileCheck %s --check-prefix=NOMC

// A kernel that starts with a matmul of two input tiles streams K: 512/64
// = 8 slices by default. Slices are multiples of 4, so asking for 3 slices
// of K = 512 gives slices of 172, 172 and 168.
module attributes {dojo.target = #dojo.target<tiny>} {
// A streamed matmul on a 2-D grid multicasts its operand blocks: six
// semaphores (load, store, A slices, B slices, A and B edge loads).
// CHECK-LABEL: func.func @mm
// CHECK: k_chunks = 8 : i64, multicast, {{.*}}sems = array<i64: 0, 1, 2, 3, 4, 5>
// NOMC-LABEL: func.func @mm
// NOMC-NOT: multicast
// NOMC: sems = array<i64: 0, 1>
// OFF-NOT: k_chunks
// THREE: k_chunks = 3 : i64
func.func @mm(%x: tensor<8x512xbf16>, %w: tensor<512x8xbf16>) -> tensor<8x8xf32> {
  %0 = dojo.kernel grid [1, 1]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w : tensor<8x512xbf16>, tensor<512x8xbf16>)
      attributes {arg_offsets = array<i64: 0, 8192>, place_rows = array<i64: 0>, place_cols = array<i64: 0>} -> tensor<8x8xf32> {
  ^bb0(%tx: tensor<8x512xbf16>, %tw: tensor<512x8xbf16>):
    %m = dojo.matmul %tx, %tw {dojo.sram_offset = 16384 : i64} : tensor<8x512xbf16>, tensor<512x8xbf16> -> tensor<8x8xf32>
    dojo.yield %m : tensor<8x8xf32>
  }
  return %0 : tensor<8x8xf32>
}

// A kernel of elementwise ops does not stream.
// CHECK-LABEL: func.func @ew
// CHECK-NOT: k_chunks
// CHECK: return
func.func @ew(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = dojo.kernel grid [1] maps [affine_map<(i) -> (i, 0)>, affine_map<(i) -> (i, 0)>]
      ins(%x : tensor<8x8xf32>) attributes {arg_offsets = array<i64: 0>, place_rows = array<i64: 0>, place_cols = array<i64: 0>} -> tensor<8x8xf32> {
  ^bb0(%t: tensor<8x8xf32>):
    %r = dojo.relu %t {dojo.sram_offset = 0 : i64} : tensor<8x8xf32>
    dojo.yield %r : tensor<8x8xf32>
  }
  return %0 : tensor<8x8xf32>
}
}
