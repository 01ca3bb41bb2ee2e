// RUN: dojo-opt %s --dojo-allocate-sram=matmul-live=false | FileCheck %s
// RUN: dojo-opt %s --dojo-allocate-sram | FileCheck %s --check-prefix=LIVE

// By default a matmul kernel with an epilogue that fits without reuse is
// allocated so (dojo-schedule may then pipeline its epilogue): in @reuse,
// %r gets space of its own instead of the input tiles' (which the matrix
// unit may still read), while %s stays in place of %m (same type, row for
// row).
// LIVE-LABEL: func.func @reuse
// LIVE: dojo.kernel {{.*}} attributes {arg_offsets = array<i64: 0, 128>, dojo.matmul_live, sram_bytes = 768 : i64}
// LIVE: dojo.matmul {{.*}} {dojo.scratch_offset = 256 : i64, dojo.sram_offset = 512 : i64}
// LIVE: dojo.relu {{.*}} {dojo.sram_offset = 640 : i64}
// LIVE: dojo.add {{.*}} {dojo.sram_offset = 512 : i64}

// Inputs get the first offsets (64-byte aligned); the matmul's FP32
// accumulator and its BF16 result are live together; the bias add and the
// ReLU run in place on the matmul result, which dies there.
module attributes {dojo.target = #dojo.target<small>} {
// CHECK-LABEL: func.func @layer
func.func @layer(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>, %b: tensor<64xbf16>) -> tensor<16x64xbf16> {
  // CHECK: dojo.kernel {{.*}} attributes {arg_offsets = array<i64: 0, 1024, 2048>, place_cols = array<i64: 0, 1, 2, 3>, place_rows = array<i64: 0>, sram_bytes = 3648 : i64}
  %0 = dojo.kernel grid [1, 4]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w, %b : tensor<16x32xbf16>, tensor<32x64xbf16>, tensor<64xbf16>) attributes {place_rows = array<i64: 0>, place_cols = array<i64: 0, 1, 2, 3>} -> tensor<16x64xbf16> {
  ^bb0(%tx: tensor<16x32xbf16>, %tw: tensor<32x16xbf16>, %tb: tensor<16xbf16>):
    // CHECK: dojo.matmul {{.*}} {dojo.scratch_offset = 2112 : i64, dojo.sram_offset = 3136 : i64}
    %m = dojo.matmul %tx, %tw : tensor<16x32xbf16>, tensor<32x16xbf16> -> tensor<16x16xbf16>
    // CHECK: dojo.add {{.*}} {dojo.sram_offset = 3136 : i64}
    %a = dojo.add %m, %tb : tensor<16x16xbf16>, tensor<16xbf16> -> tensor<16x16xbf16>
    // CHECK: dojo.relu {{.*}} {dojo.sram_offset = 3136 : i64}
    %r = dojo.relu %a : tensor<16x16xbf16>
    dojo.yield %r : tensor<16x16xbf16>
  }
  return %0 : tensor<16x64xbf16>
}

// Freed space is reused: the input tiles die at the matmul, so %r (which
// cannot be in place: %m is still live) takes offset 0; %s is in place of %m.
// CHECK-LABEL: func.func @reuse
func.func @reuse(%x: tensor<8x8xbf16>, %w: tensor<8x8xbf16>) -> tensor<8x8xbf16> {
  // CHECK: dojo.kernel {{.*}} attributes {arg_offsets = array<i64: 0, 128>, sram_bytes = 640 : i64}
  %0 = dojo.kernel grid [1, 1]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w : tensor<8x8xbf16>, tensor<8x8xbf16>) -> tensor<8x8xbf16> {
  ^bb0(%tx: tensor<8x8xbf16>, %tw: tensor<8x8xbf16>):
    // CHECK: dojo.matmul {{.*}} {dojo.scratch_offset = 256 : i64, dojo.sram_offset = 512 : i64}
    %m = dojo.matmul %tx, %tw : tensor<8x8xbf16>, tensor<8x8xbf16> -> tensor<8x8xbf16>
    // CHECK: dojo.relu {{.*}} {dojo.sram_offset = 0 : i64}
    %r = dojo.relu %m : tensor<8x8xbf16>
    // CHECK: dojo.add {{.*}} {dojo.sram_offset = 512 : i64}
    %s = dojo.add %m, %r : tensor<8x8xbf16>, tensor<8x8xbf16> -> tensor<8x8xbf16>
    dojo.yield %s : tensor<8x8xbf16>
  }
  return %0 : tensor<8x8xbf16>
}
}
