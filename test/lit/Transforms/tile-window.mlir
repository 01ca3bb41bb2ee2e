// A window product (dojo.matmul window, what dojo-decompose makes of a
// unit-stride convolution) tiled over a forced 4 x 2 grid: the A tiles
// overlap (halos: each of 50 output rows reads 26 rows past its block,
// the largest offset), B is tiled by columns as usual.
// RUN: dojo-opt %s --dojo-tile="grid=4,2" | FileCheck %s
// CHECK: dojo.kernel grid [4, 2] {{.*}} attributes {halos = array<i64: 26, 0>}
// CHECK: ^bb0(%{{.*}}: tensor<76x16xbf16>, %{{.*}}: tensor<144x16xbf16>):
// CHECK: dojo.matmul {{.*}}window = array<i64: 0, 1, 2, 12, 13, 14, 24, 25, 26>{{.*}} -> tensor<50x16xf32>
//
// Lowered with multicast, one K slice per tap: the A tile goes in row
// chunks, a new one per kernel row (rows 0-51 for taps 0-2, 52-63 for taps
// 3-5, 64-75 for taps 6-8), the first (which tap 0 needs whole) in pieces
// of 24 rows (0-23, 24-47, 48-51), dealt round robin over the two A
// senders of a grid row (semaphores 2 and 6) like the later chunks. Thread
// 0 waits for B's first slice, then multiplies tap 0 piece by piece as the
// pieces land (product rows 0-23, 24-47, 48-49), then waits for a chunk
// only before the first tap that needs it, and for a B slice before every
// tap. Each tap multiplies the A rows shifted by its offset (lda = 16
// channels). The epilogue thread (3) is spawned after the first product,
// so its set-up takes the scalar unit while the matrix unit works. (With halo exchange, the default, the first chunk stays
// whole and the later chunks of every grid row but the last come from the
// next grid row instead: dojo-run/halo-exchange.mlir.)
// RUN: dojo-opt %s --pass-pipeline="builtin.module(func.func(dojo-tile{grid=4,2},dojo-place,dojo-allocate-sram,dojo-schedule{halo-exchange=false}),convert-dojo-to-isa)" | FileCheck %s --check-prefix=ISA
// ISA: dojoisa.sem.wait sem = 3, count = 1
// ISA-NEXT: dojoisa.sem.wait sem = 2, count = 1
// ISA: dojoisa.mm r8, r9, r10, m = 24, n = 16, k = 16, ldc = 16, lda = 16, ldb = 16, acc = 0
// ISA-NEXT: dojoisa.tspawn thread = 3
// ISA-NEXT: dojoisa.sem.wait sem = 6, count = 1
// ISA: dojoisa.mm r8, r9, r10, m = 24, n = 16, k = 16, ldc = 16, lda = 16, ldb = 16, acc = 0
// ISA-NEXT: dojoisa.sem.wait sem = 2, count = 1
// ISA: dojoisa.mm r8, r9, r10, m = 2, n = 16, k = 16, ldc = 16, lda = 16, ldb = 16, acc = 0
// ISA-NEXT: dojoisa.sem.wait sem = 7, count = 1
// ISA: dojoisa.mm r8, r9, r10, m = 50, n = 16, k = 16, ldc = 16, lda = 16, ldb = 16, acc = 1
// ISA: dojoisa.sem.wait sem = 3, count = 1
// ISA: dojoisa.sem.wait sem = 6, count = 1
// ISA-NEXT: dojoisa.sem.wait sem = 7, count = 1
// ISA: dojoisa.sem.wait sem = 2, count = 1
// ISA-NEXT: dojoisa.sem.wait sem = 3, count = 1
// ISA: dojoisa.dma.ld r7, r6, rows = 24, bytes = 32, dstride = 32, sstride = 32, sem = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 24, {{.*}} sem = 2, height = 1, width = 2
// ISA: dojoisa.dma.ld r7, r6, rows = 4, bytes = 32, dstride = 32, sstride = 32, sem = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 4, {{.*}} sem = 2, height = 1, width = 2
// ISA: dojoisa.dma.ld r7, r6, rows = 12, bytes = 32, dstride = 32, sstride = 32, sem = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 12, {{.*}} sem = 2, height = 1, width = 2
// ISA: dojoisa.dma.ld r7, r6, rows = 24, bytes = 32, dstride = 32, sstride = 32, sem = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 24, {{.*}} sem = 6, height = 1, width = 2
// ISA: dojoisa.dma.ld r7, r6, rows = 12, bytes = 32, dstride = 32, sstride = 32, sem = 4
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 12, {{.*}} sem = 6, height = 1, width = 2
//
// Bit-exact on the simulator (tiny to d1), also unstreamed (multicast
// off: the whole tile with the other inputs, one product per tap).
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-schedule{multicast=false}" | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{grid=4,2},dojo-schedule{senders=3}" | FileCheck %s --check-prefix=SIM
// SIM: verdict: PASS (max abs err 0, max rel err 0), bit-exact
module attributes {dojo.target = #dojo.target<small>} {
func.func @w(%a: tensor<300x16xbf16>, %b: tensor<144x32xbf16>) -> tensor<200x32xf32> {
  %0 = dojo.matmul %a, %b {window = array<i64: 0, 1, 2, 12, 13, 14, 24, 25, 26>} : tensor<300x16xbf16>, tensor<144x32xbf16> -> tensor<200x32xf32>
  return %0 : tensor<200x32xf32>
}
}
