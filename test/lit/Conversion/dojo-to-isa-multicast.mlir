// RUN: dojo-opt %s --convert-dojo-to-isa | FileCheck %s

// K = 16 in 2 slices of 8 with multicast. The grid-column-0 core of each
// grid row spawns thread 1, which loads each A slice from edge memory
// (sem 4) and multicasts it along its own mesh row (csrr row) over the
// placement's columns (sem 2 on every receiver); here a grid row is one
// core, which needs no multicast: it signals itself; the grid-row-0 core of
// each column spawns thread 2 for B (sem 5, then sem 3 down its column, or,
// as here, to itself alone).
// Thread 0 waits for the bias (sem 0) and, per slice, for one A and one B
// slice before each mm.
module attributes {dojo.target = #dojo.target<tiny>} {
func.func @mm(%x: tensor<4x16xbf16>, %w: tensor<16x8xbf16>, %b: tensor<8xbf16>) -> tensor<4x8xbf16> {
  %0 = dojo.kernel grid [1, 1]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w, %b : tensor<4x16xbf16>, tensor<16x8xbf16>, tensor<8xbf16>)
      attributes {arg_offsets = array<i64: 0, 128, 384>, place_rows = array<i64: 0>, place_cols = array<i64: 0>, sems = array<i64: 0, 1, 2, 3, 4, 5>, k_chunks = 2 : i64, multicast} -> tensor<4x8xbf16> {
  ^bb0(%tx: tensor<4x16xbf16>, %tw: tensor<16x8xbf16>, %tb: tensor<8xbf16>):
    %m = dojo.matmul %tx, %tw {dojo.scratch_offset = 448 : i64, dojo.sram_offset = 576 : i64} : tensor<4x16xbf16>, tensor<16x8xbf16> -> tensor<4x8xbf16>
    %a = dojo.add %m, %tb {dojo.sram_offset = 576 : i64} : tensor<4x8xbf16>, tensor<8xbf16> -> tensor<4x8xbf16>
    dojo.yield %a : tensor<4x8xbf16>
  }
  return %0 : tensor<4x8xbf16>
}
}
// The first core of a grid row (column) spawns the A (B) sender.
// CHECK: dojoisa.bge r4, r2, target = [[NOA:[0-9]+]]
// CHECK-NEXT: dojoisa.tspawn thread = 1, target = [[SENDA:[0-9]+]]
// CHECK-NEXT: dojoisa.li r2, value = 1
// CHECK-NEXT: dojoisa.bge r3, r2, target = [[NOB:[0-9]+]]
// CHECK-NEXT: dojoisa.tspawn thread = 2, target = [[SENDB:[0-9]+]]
// CHECK-NEXT: dojoisa.li r8, value = 448
// CHECK-NEXT: dojoisa.sem.wait sem = 0, count = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 2, count = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 3, count = 1
// CHECK: dojoisa.mm {{.*}} acc = 0, dt = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 2, count = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 3, count = 1
// CHECK: dojoisa.mm {{.*}} acc = 1, dt = 1
// CHECK: dojoisa.sem.wait sem = 1, count = 1
// CHECK-NEXT: dojoisa.jmp target = [[END:[0-9]+]]
// Thread 1: A sender.
// CHECK-NEXT: dojoisa.csrr r1, csr = 0
// CHECK: dojoisa.csrr r9, csr = 2
// CHECK-NEXT: dojoisa.li r10, value = 0
// CHECK-NEXT: dojoisa.addi r6, r11, imm = 0
// CHECK-NEXT: dojoisa.li r7, value = 0
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 4, bytes = 16, dstride = 32, sstride = 32, sem = 4
// CHECK-NEXT: dojoisa.sem.wait sem = 4, count = 1
// CHECK-NEXT: dojoisa.sem.signal r1, sem = 2, count = 1
// CHECK: dojoisa.dma.ld r7, r6, rows = 4, bytes = 16, dstride = 32, sstride = 32, sem = 4
// CHECK-NEXT: dojoisa.sem.wait sem = 4, count = 1
// CHECK-NEXT: dojoisa.sem.signal r1, sem = 2, count = 1
// CHECK-NEXT: dojoisa.halt
// Thread 2: B sender, down its column.
// CHECK-NEXT: dojoisa.csrr r1, csr = 0
// CHECK: dojoisa.li r9, value = 0
// CHECK-NEXT: dojoisa.csrr r10, csr = 3
// Its column is one core: the loads are the delivery (no multicast), one
// slice ahead, each signalled on sem 3 once it is in.
// CHECK: dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 5
// CHECK: dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 5
// CHECK-NEXT: dojoisa.sem.wait sem = 5, count = 1
// CHECK-NEXT: dojoisa.sem.signal r1, sem = 3, count = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 5, count = 1
// CHECK-NEXT: dojoisa.sem.signal r1, sem = 3, count = 1
// CHECK-NOT: dojoisa.dma.mcast
// CHECK: dojoisa.halt
// CHECK-NEXT: dojoisa.halt
// CHECK-NEXT: }
