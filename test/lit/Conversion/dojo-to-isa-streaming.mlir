// RUN: dojo-opt %s --convert-dojo-to-isa | FileCheck %s

// K = 16 in 2 slices of 8 with a bias: the bias load goes first, then the
// slices of A (column blocks, source stride = full row) and B (row blocks)
// interleave. The core waits for the bias and slice 0 (3 loads) before the
// first mm (acc = 0), and for 2 more loads before the second (acc = 1).
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @mm(%x: tensor<4x16xbf16>, %w: tensor<16x8xbf16>, %b: tensor<8xbf16>) -> tensor<4x8xbf16> {
  %0 = dojo.kernel grid [1, 1]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w, %b : tensor<4x16xbf16>, tensor<16x8xbf16>, tensor<8xbf16>)
      attributes {arg_offsets = array<i64: 0, 128, 384>, place_rows = array<i64: 0>, place_cols = array<i64: 0>, sems = array<i64: 0, 1>, k_chunks = 2 : i64} -> tensor<4x8xbf16> {
  ^bb0(%tx: tensor<4x16xbf16>, %tw: tensor<16x8xbf16>, %tb: tensor<8xbf16>):
    %m = dojo.matmul %tx, %tw {dojo.scratch_offset = 448 : i64, dojo.sram_offset = 576 : i64} : tensor<4x16xbf16>, tensor<16x8xbf16> -> tensor<4x8xbf16>
    %a = dojo.add %m, %tb {dojo.sram_offset = 576 : i64} : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
    dojo.yield %a : tensor<4x8xbf16>
  }
  return %0 : tensor<4x8xbf16>
}
}
// CHECK: dojoisa.mov r11, r6
// CHECK: dojoisa.mov r12, r6
// CHECK: dojoisa.li r7, value = 384
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 1, bytes = 16, dstride = 16, sstride = 16, sem = 0
// CHECK-NEXT: dojoisa.addi r6, r11, imm = 0
// CHECK-NEXT: dojoisa.li r7, value = 0
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 4, bytes = 16, dstride = 32, sstride = 32, sem = 0
// CHECK-NEXT: dojoisa.addi r6, r12, imm = 0
// CHECK-NEXT: dojoisa.li r7, value = 128
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 0
// CHECK-NEXT: dojoisa.addi r6, r11, imm = 16
// CHECK-NEXT: dojoisa.li r7, value = 16
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 4, bytes = 16, dstride = 32, sstride = 32, sem = 0
// CHECK-NEXT: dojoisa.addi r6, r12, imm = 128
// CHECK-NEXT: dojoisa.li r7, value = 256
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 0
// CHECK-NEXT: dojoisa.li r8, value = 448
// CHECK-NEXT: dojoisa.sem.wait sem = 0, count = 3
// CHECK-NEXT: dojoisa.li r9, value = 0
// CHECK-NEXT: dojoisa.li r10, value = 128
// CHECK-NEXT: dojoisa.mm r8, r9, r10, m = 4, n = 8, k = 8, ldc = 8, lda = 16, ldb = 8, acc = 0, dt = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 0, count = 2
// CHECK-NEXT: dojoisa.li r9, value = 16
// CHECK-NEXT: dojoisa.li r10, value = 256
// CHECK-NEXT: dojoisa.mm r8, r9, r10, m = 4, n = 8, k = 8, ldc = 8, lda = 16, ldb = 8, acc = 1, dt = 1
// CHECK-NEXT: dojoisa.li r9, value = 576
// CHECK-NEXT: dojoisa.vcvt
