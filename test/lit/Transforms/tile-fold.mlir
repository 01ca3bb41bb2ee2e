// Folded grids. A forced grid=7,2 fold=2 on small (4 x 4): the 7 grid rows
// fold twice over 4 placement rows, each mesh row holding two grid rows of
// two columns; dojo-place asks for ceil(7 / 2) = 4 rows and 2 * 2 columns.
// RUN: dojo-opt %s --split-input-file --dojo-tile="grid=7,2 fold=2" --dojo-place | FileCheck %s
// CHECK: dojo.kernel grid [7, 2] {{.*}} attributes {dojo.b_broadcast, fold = 2 : i64, place_cols = array<i64: 0, 1, 2, 3>, place_rows = array<i64: 0, 1, 2, 3>}
// CHECK: dojo.matmul {{.*}} : tensor<43x200xbf16>, tensor<200x35xbf16> -> tensor<43x35xbf16>
//
// The whole B is allocated on every core: 200 x (2 x 35) bf16.
// RUN: dojo-opt %s --split-input-file --dojo-tile="grid=7,2 fold=2" --dojo-place --dojo-allocate-sram | FileCheck %s --check-prefix=ALLOC
// ALLOC: arg_offsets = array<i64: 0, 17216>
// ALLOC: dojo.matmul {{.*}}dojo.scratch_offset = 45248
//
// Lowered: the grid point is (c / 2) * 4 + r, c % 2 from placement row r
// and column c; one A sender per grid row (column 0) multicasts over the
// row's two cores; three B loaders in column 1 (placement rows 0, 1, 2)
// broadcast slices 0, 1, 2 to the 4 x 4 rectangle; each core's B column
// block starts at j * 35 * 2 bytes (r25) of rows of 70 elements; the
// placement core that is not in the grid (row 3, fold 1) takes the three
// B slices' counts before it leaves.
// RUN: dojo-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(dojo-tile{grid=7,2 fold=2},dojo-place,dojo-allocate-sram,dojo-schedule),convert-dojo-to-isa)" | FileCheck %s --check-prefix=ISA
// ISA: dojoisa.li r2, value = 4
// ISA-NEXT: dojoisa.divu r3, r1, r2
// ISA-NEXT: dojoisa.remu r4, r1, r2
// ISA-NEXT: dojoisa.li r2, value = 2
// ISA-NEXT: dojoisa.divu r5, r4, r2
// ISA-NEXT: dojoisa.remu r4, r4, r2
// ISA-NEXT: dojoisa.muli r5, r5, imm = 4
// ISA-NEXT: dojoisa.add r3, r3, r5
// ISA-NEXT: dojoisa.li r2, value = 7
// ISA-NEXT: dojoisa.bge r3, r2, target = [[SKIP:[0-9]+]]
// ISA-NEXT: dojoisa.li r2, value = 70
// ISA-NEXT: dojoisa.mul r25, r4, r2
// ISA: dojoisa.mm r8, r9, r10, m = 43, n = 35, k = {{[0-9]+}}, ldc = 35, lda = 200, ldb = 70, acc = 0
// ISA: dojoisa.dma.mcast {{.*}} rows = 43, bytes = 136, dstride = 400, sstride = 400, sem = 2, height = 1, width = 2
// ISA: dojoisa.dma.ld r7, r6, rows = 68, bytes = 140, dstride = 140, sstride = 140, sem = 5
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 68, bytes = 140, dstride = 140, sstride = 140, sem = 3, height = 4, width = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 68, bytes = 140, dstride = 140, sstride = 140, sem = 6, height = 4, width = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 64, bytes = 140, dstride = 140, sstride = 140, sem = 7, height = 4, width = 4
// ISA: dojoisa.li r2, value = 16
// ISA-NEXT: dojoisa.bge r1, r2, target = {{[0-9]+}}
// ISA-NEXT: dojoisa.sem.wait sem = 3, count = 1
// ISA-NEXT: dojoisa.sem.wait sem = 6, count = 1
// ISA-NEXT: dojoisa.sem.wait sem = 7, count = 1

module attributes {dojo.target = #dojo.target<small>} {
func.func @tall(%a: tensor<300x200xbf16>, %b: tensor<200x70xbf16>) -> tensor<300x70xbf16> {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x70xbf16> -> tensor<300x70xbf16>
  return %0 : tensor<300x70xbf16>
}
}
