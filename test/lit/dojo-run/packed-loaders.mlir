// B segment loaders that cannot keep up (dojo-schedule): on a packed grid
// with spares, a B slice of this 392 x 512 x 2048 product (K 2048 in 16
// slices of 128, 22 x 27 tiles) takes a loader 446 cycles to load, await
// and multicast down its segment, its products 384. Each straight
// segment then gets two loaders, one at each end, sending the even and
// the odd slices, and every sender loads its next slice ahead
// (dojo.sender_prefetch). A segment of one core (a spare) sends every
// slice itself, each on its slice's semaphore. Bit-exact.
// RUN: dojo-opt %s --dojo-pipeline=target=d1 --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=SCHED
// SCHED: dojo.kernel grid [18, 19]
// SCHED-SAME: dojo.packed_placement
// SCHED-SAME: dojo.sender_prefetch
// SCHED-SAME: dojo.senders = array<i64: 2, 2>
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: cores used: 342 / 354
//
// The A senders rotate: even grid rows send from grid columns 0 and 1,
// odd ones from 17 and 18 (r29 = grid column - 17 on odd rows), so every
// grid column has cores that send no A, and its B loaders are chosen
// among them; the B loaders load from the nearer of N and S (edge_mask 5,
// their column's links). From the third slice on, the slices arrive
// ahead of the products (two loaders a segment, prefetch), and two slices
// are one mm (k = 256).
// RUN: dojo-opt %s --dojo-pipeline=target=d1 | FileCheck %s --check-prefix=ROT
// ROT: dojoisa.andi r2, r3, imm = 1
// ROT-NEXT: dojoisa.muli r2, r2, imm = 17
// ROT-NEXT: dojoisa.sub r29, r4, r2
// ROT-NEXT: dojoisa.li r2, value = 2
// ROT-NEXT: dojoisa.bge r29, r2
// ROT-NEXT: dojoisa.blt r29, r0
// ROT-NEXT: dojoisa.tspawn thread = 1
// ROT: dojoisa.mm {{.*}}k = 128, {{.*}}acc = 0
// ROT: dojoisa.mm {{.*}}k = 128, {{.*}}acc = 1
// ROT: dojoisa.mm {{.*}}k = 256, {{.*}}acc = 1
// ROT: dojoisa.li r2, value = 5
// ROT-NEXT: dojoisa.csrw r2, csr = 9
//
// Thread 0 finds whether its core loads B, and the B loaders find their
// code, by a binary search on the grid column (r4; about log2(19)
// compares, not a chain of 19); the A senders load from the nearer of the
// E and W edges (edge_mask 10: their multicasts go along the mesh rows, B
// down the columns).
// RUN: dojo-opt %s --dojo-pipeline=target=d1 | FileCheck %s --check-prefix=ISA
// ISA: dojoisa.li r2, value = 9
// ISA-NEXT: dojoisa.bge r4, r2
// ISA-NEXT: dojoisa.li r2, value = 4
// ISA-NEXT: dojoisa.bge r4, r2
// ISA-NEXT: dojoisa.li r2, value = 2
// ISA-NEXT: dojoisa.bge r4, r2
// ISA: dojoisa.tspawn thread = 2
// ISA: dojoisa.li r2, value = 10
// ISA-NEXT: dojoisa.csrw r2, csr = 9
// ISA: dojoisa.li r2, value = 9
// ISA-NEXT: dojoisa.bge r4, r2
// ISA-NEXT: dojoisa.li r2, value = 4
// ISA-NEXT: dojoisa.bge r4, r2
// ISA: dojoisa.dma.mcast {{.*}} sem = 3, height = 18, width = 1
// ISA: dojoisa.dma.mcast {{.*}} sem = 7, height = 18, width = 1
func.func @main(%x: tensor<392x2048xbf16>, %w: tensor<2048x512xbf16>) -> tensor<392x512xbf16> {
  %0 = dojo.matmul %x, %w : tensor<392x2048xbf16>, tensor<2048x512xbf16> -> tensor<392x512xbf16>
  return %0 : tensor<392x512xbf16>
}
