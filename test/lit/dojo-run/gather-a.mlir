// Gathered A (dojo-schedule gather-a, kernel attribute dojo.a_gather): on a
// cross grid, every core of a grid row loads a band of rows of each A slice
// and multicasts it over its mesh row, instead of one A sender loading and
// multicasting the whole slice. Slices alternate between two semaphores,
// each counting one piece per band (a third carries thread 0's
// permissions); the results stay bit-exact. 50 rows on
// 4 grid rows are ragged (13, 13, 13, 11: bands of 4, 4, 4 and 1 rows, the
// last grid row's third band short and its fourth empty), and K = 256
// streams in 4 slices, so every core loads slices 2 and 3 after it
// multicast slices 0 and 1.
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{gather-a=always}' | FileCheck %s
// RUN: dojo-run %s --target="small disabled=1:1" --verify --pass-options='dojo-schedule{gather-a=always}' | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --pass-options='dojo-schedule{gather-a=always}' | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options='dojo-schedule{gather-a=always}' | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{gather-a=always k-chunks=3}' | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{gather-a=always pipeline-epilogue=false}' | FileCheck %s
// A packed placement (grid rows of 19 cores, disabled cores skipped):
// RUN: dojo-run %s --target=d1 --verify --pass-options='dojo-set-target{placement=packed},dojo-schedule{gather-a=always}' | FileCheck %s
// A deep product (K >= 4 N) with 14-column tiles: `auto` places it packed
// on d1 and gathers its A there (1160 x 256 x 1024: 6806 cycles; cross
// 7790).
// RUN: dojo-run %S/Inputs/deep-narrow.mlir --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %S/Inputs/deep-narrow.mlir --dojo-pipeline=target=d1 --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEEP
// DEEP: dojo.placement = "packed"
// DEEP: grid [18, 19]{{.*}}dojo.a_gather{{.*}}dojo.packed_placement
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// In the ISA every core spawns thread 1, which loads its band of the first
// two slices, then for each slice waits for its band, multicasts it over
// the row (semaphores 2 and 6 alternate) and loads the band two slices on;
// before slice c >= 1 it waits for a permission (semaphore 7) that thread
// 0 adds after its wait for slice c - 1 (4 pieces a slice).
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile,dojo-place,dojo-allocate-sram,dojo-schedule{gather-a=always pipeline-epilogue=false}),convert-dojo-to-isa)" --mlir-print-ir-after=dojo-schedule 2>&1 | FileCheck %s --check-prefix=ASM
// ASM: dojo.a_gather{{.*}}dojo.senders = array<i64: 3, 2>{{.*}}k_chunks = 4{{.*}}sems = array<i64: 0, 1, 2, 3, 4, 5, 6, 7, 8>
// ASM: dojoisa.tspawn thread = 1,
// ASM: dojoisa.sem.wait sem = 2, count = 4
// ASM: dojoisa.sem.signal r1, sem = 7, count = 1
// ASM: dojoisa.mm r8
// ASM: dojoisa.sem.wait sem = 6, count = 4
// ASM: dojoisa.sem.signal r1, sem = 7, count = 1
// ASM: dojoisa.sem.wait sem = 2, count = 4
// ASM: dojoisa.sem.signal r1, sem = 7, count = 1
// ASM: dojoisa.sem.wait sem = 6, count = 4
// ASM-NOT: sem = 7
// ASM: dojoisa.mm
// A core without a band takes its three permissions and halts:
// ASM: dojoisa.sem.wait sem = 7, count = 1
// ASM-NEXT: dojoisa.sem.wait sem = 7, count = 1
// ASM-NEXT: dojoisa.sem.wait sem = 7, count = 1
// ASM-NEXT: dojoisa.halt
// ASM: dojoisa.dma.ld r7, r11, rows = 4, bytes = 128, dstride = 512, sstride = 512, sem = 4
// ASM: dojoisa.sem.wait sem = 4, count = 1
// ASM: dojoisa.dma.mcast r7, r7, r27, r28, rows = 1, bytes = 128, {{.*}} sem = 2, height = 1, width = 4
// ASM: dojoisa.dma.mcast r7, r7, r27, r28, rows = 4, bytes = 128, {{.*}} sem = 2, height = 1, width = 4
// ASM: dojoisa.dma.ld r7, r11, rows = 4, bytes = 128, dstride = 512, sstride = 512, sem = 4
// ASM: dojoisa.sem.wait sem = 7, count = 1
// ASM-NEXT: dojoisa.sem.wait sem = 4, count = 1
// ASM: dojoisa.dma.mcast r7, r7, r27, r28, rows = 1, bytes = 128, {{.*}} sem = 6, height = 1, width = 4
//
// auto (the default) gathers only on packed placements (small has no
// disabled core: its placement is cross, where the grid-row-0 cores send
// B too). A forced sender count keeps the senders; never turns it off.
// RUN: dojo-opt %s "--dojo-pipeline=target=small" --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile,dojo-place,dojo-allocate-sram,dojo-schedule{gather-a=never}))" 2>&1 | FileCheck %s --check-prefix=OFF
// OFF-NOT: dojo.a_gather
// OFF: dojo.senders
// OFF-NOT: dojo.a_gather
//
// A bad value is an error.
// RUN: not dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile,dojo-place,dojo-allocate-sram,dojo-schedule{gather-a=sometimes}))" 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: dojo-schedule: gather-a must be 'auto', 'always' or 'never', got 'sometimes'
func.func @mm(%x: tensor<50x256xbf16>, %w: tensor<256x128xbf16>, %b: tensor<128xbf16>) -> tensor<50x128xbf16> {
  %0 = dojo.matmul %x, %w : tensor<50x256xbf16>, tensor<256x128xbf16> -> tensor<50x128xbf16>
  %1 = dojo.add %0, %b : tensor<50x128xbf16>, tensor<128xbf16> -> tensor<50x128xbf16>
  return %1 : tensor<50x128xbf16>
}
