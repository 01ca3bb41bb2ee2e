// Matmuls deep enough to stream (K >= 128) share their operand blocks by
// multicast: the grid-column-0 core of each grid row loads the A row block
// and multicasts it along its mesh row, the grid-row-0 core of each column
// does the same for the B column block down its mesh column. The results
// stay bit-exact, also with a disabled core inside the mesh (its row or
// column is left out of the placement and skipped by the multicast).
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target="small disabled=1:1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// Several senders per grid row / column, round robin over the K slices:
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{senders=2}' | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{senders=4}' | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options='dojo-schedule{senders=3}' | FileCheck %s
// By default (senders=0) blocks of at most 128 KiB get two senders:
// RUN: dojo-opt %s "--dojo-pipeline=target=small" --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=AUTO
// AUTO: dojo.senders = array<i64: 2, 2>
// AUTO-NOT: dojo.sender_prefetch
// The tiles are small (16 x 32): with one sender per grid row and column,
// a sender's load - wait - multicast of a slice takes longer than the
// slice's products, so it loads its next slice as soon as the current one
// has landed, before it multicasts the current one (with two, the slices
// alternate and no sender prefetches).
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile,dojo-place,dojo-allocate-sram,dojo-schedule{senders=1}),convert-dojo-to-isa)" --mlir-print-ir-after=dojo-schedule 2>&1 | FileCheck %s --check-prefix=PF
// PF: dojo.sender_prefetch{{.*}}dojo.senders = array<i64: 1, 1>
// PF: dojoisa.dma.ld r7, r6, rows = 16, bytes = 128, {{.*}} sem = 4
// PF-NEXT: dojoisa.sem.wait sem = 4, count = 1
// PF-NEXT: dojoisa.addi r6, r11, imm = 128
// PF-NEXT: dojoisa.li r7, value = 128
// PF-NEXT: dojoisa.dma.ld r7, r6, rows = 16, bytes = 128, {{.*}} sem = 4
// PF-NEXT: dojoisa.li r7, value = 0
// PF-NEXT: dojoisa.dma.mcast {{.*}} height = 1
// PF-NEXT: dojoisa.sem.wait sem = 4, count = 1
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{senders=1}' | FileCheck %s
// Without multicast the same program moves more bytes out of edge memory.
// RUN: dojo-run %s --target=small --json %t.on.json --quiet
// RUN: dojo-run %s --target=small --json %t.off.json --quiet --pass-options='dojo-schedule{multicast=false}'
// RUN: python3 -c "import json,sys; on=json.load(open('%t.on.json')); off=json.load(open('%t.off.json')); sys.exit(0 if on['dram_bytes'] < off['dram_bytes'] else 1)"
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA: dojoisa.tspawn thread = 1
// ISA: dojoisa.tspawn thread = 2
// ISA: dojoisa.dma.mcast {{.*}} height = 1
// ISA: dojoisa.dma.mcast {{.*}} width = 1
func.func @mlp(%x: tensor<64x256xbf16>, %w1: tensor<256x128xbf16>, %b1: tensor<128xbf16>,
               %w2: tensor<128x64xbf16>) -> tensor<64x64xbf16> {
  %0 = dojo.matmul %x, %w1 : tensor<64x256xbf16>, tensor<256x128xbf16> -> tensor<64x128xbf16>
  %1 = dojo.add %0, %b1 : tensor<64x128xbf16>, tensor<128xbf16> -> tensor<64x128xbf16>
  %2 = dojo.relu %1 : tensor<64x128xbf16>
  %3 = dojo.matmul %2, %w2 : tensor<64x128xbf16>, tensor<128x64xbf16> -> tensor<64x64xbf16>
  return %3 : tensor<64x64xbf16>
}
