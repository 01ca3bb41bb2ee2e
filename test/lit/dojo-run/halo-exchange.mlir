// Halo exchange (dojo-schedule halo-exchange, KernelOp dojo.halo_exchange):
// a window product (3x3 convolution, 2 x 13 x 11 images, 12 -> 20
// channels) on a grid of whole mesh rows with A senders: grid row i's taps
// read rows past its block (the halo), which are the first rows of grid row
// i + 1's tile. Grid row i + 1's first A sender puts them from its own
// first row chunk into grid row i's first A sender (semaphore 9), which
// multicasts them over its row (semaphore 8, after the A/B sender
// semaphores), so only the last grid row loads its later chunks from edge
// memory. Only without the pad folded into the kernel (fold-pad=false:
// with pad_input the senders load the image's pixels themselves).
// Bit-exact against the reference with two A senders (4x2, 3x3, 2x4
// grids), one sender, on tiny, and with the exchange off.
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{fold-pad=false grid=4,2}" | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 1 --pass-options="dojo-tile{fold-pad=false grid=3,3}" | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 --pass-options="dojo-tile{fold-pad=false grid=2,4}" | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 --pass-options="dojo-tile{fold-pad=false grid=3,3},dojo-schedule{senders=1}" | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 4 --pass-options="dojo-tile{fold-pad=false grid=2,2}" | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{fold-pad=false grid=4,2},dojo-schedule{halo-exchange=false}" | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact

// The schedule marks the kernel and gives it two more semaphores (8 and 9
// with two A and two B senders, then the pipelined epilogue's two); not
// with the option off, on one grid column (no A senders) or a folded grid:
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{fold-pad=false grid=4,2},dojo-place,dojo-allocate-sram,dojo-schedule))" | FileCheck %s --check-prefix=SCHED
// SCHED: dojo.kernel grid [4, 2]
// SCHED-SAME: dojo.halo_exchange
// SCHED-SAME: dojo.senders = array<i64: 2, 2>
// SCHED-SAME: halos = array<i64: 26, 0>
// SCHED-SAME: sems = array<i64: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11>
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{fold-pad=false grid=4,2},dojo-place,dojo-allocate-sram,dojo-schedule{halo-exchange=false}))" | FileCheck %s --check-prefix=OFF
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{fold-pad=false grid=4,1},dojo-place,dojo-allocate-sram,dojo-schedule))" | FileCheck %s --check-prefix=OFF
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{fold-pad=false grid=4,2 fold=2},dojo-place,dojo-allocate-sram,dojo-schedule))" | FileCheck %s --check-prefix=OFF
// OFF: dojo.kernel
// OFF-NOT: dojo.halo_exchange
// OFF-SAME: -> tensor

// In the program, thread 0 waits for the first chunk (semaphore 2), then, in grid
// rows before the last, once for the halo (semaphore 8) instead of the
// later chunks (6, 2). The first A sender, after multicasting its first
// chunk (86 rows) over its own row, puts (unless in grid row 0) the 24
// halo rows of the row above from its tile row 2 (SRAM 48) to tile row 86
// (SRAM 2064) of core r1 - 2 (grid point (i - 1, 0) on 2 columns), then
// (unless in the last grid row) waits for the put from below and
// multicasts those rows over its row; the later chunks' loads are the last
// grid row's only.
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{fold-pad=false grid=4,2},dojo-place,dojo-allocate-sram,dojo-schedule),convert-dojo-to-isa)" | FileCheck %s --check-prefix=ISA
// ISA: dojoisa.sem.wait sem = 2, count = 1
// ISA: dojoisa.li r2, value = 3
// ISA-NEXT: dojoisa.bne r3, r2
// ISA-NEXT: dojoisa.sem.wait sem = 6, count = 1
// ISA-NEXT: dojoisa.jmp
// ISA-NEXT: dojoisa.sem.wait sem = 8, count = 1
// ISA: dojoisa.li r2, value = 3
// ISA-NEXT: dojoisa.bne r3, r2
// ISA-NEXT: dojoisa.sem.wait sem = 2, count = 1
// ISA-NEXT: dojoisa.jmp
// ISA-NOT: dojoisa.sem.wait sem = 8
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 86, bytes = 24, dstride = 24, sstride = 24, sem = 2, height = 1, width = 2
// ISA-NEXT: dojoisa.li r2, value = 0
// ISA-NEXT: dojoisa.beq r3, r2
// ISA-NEXT: dojoisa.addi r2, r1, imm = -2
// ISA-NEXT: dojoisa.li r7, value = 48
// ISA-NEXT: dojoisa.li r6, value = 2064
// ISA-NEXT: dojoisa.dma.put r6, r7, r2, rows = 24, bytes = 24, dstride = 24, sstride = 24, sem = 9
// ISA-NEXT: dojoisa.li r2, value = 3
// ISA-NEXT: dojoisa.beq r3, r2
// ISA-NEXT: dojoisa.sem.wait sem = 9, count = 1
// ISA-NEXT: dojoisa.li r7, value = 2064
// ISA-NEXT: dojoisa.dma.mcast r7, r7, r9, r10, rows = 24, bytes = 24, dstride = 24, sstride = 24, sem = 8, height = 1, width = 2
// ISA-NEXT: dojoisa.li r2, value = 3
// ISA-NEXT: dojoisa.bne r3, r2
// ISA: dojoisa.dma.mcast r7, r7, r9, r10, rows = 12, {{.*}} sem = 2, height = 1, width = 2

func.func @f(%x: tensor<2x13x11x12xbf16>, %w: tensor<3x3x12x20xbf16>) -> tensor<2x13x11x20xbf16> {
  %y = dojo.conv2d %x, %w layout nhwc {padding = array<i64: 1, 1, 1, 1>} : tensor<2x13x11x12xbf16>, tensor<3x3x12x20xbf16> -> tensor<2x13x11x20xbf16>
  return %y : tensor<2x13x11x20xbf16>
}
