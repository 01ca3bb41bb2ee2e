// RUN: dojo-opt %s --convert-dojo-to-isa | FileCheck %s
// RUN: dojo-opt %s --convert-dojo-to-isa=edge-routes=nearest | FileCheck %s --check-prefix=NEAREST
// RUN: not dojo-opt %s --convert-dojo-to-isa=edge-routes=far 2>&1 | FileCheck %s --check-prefix=BAD

// With edge-routes=nearest every core keeps CSR edge_mask's default (all
// four edges: the nearest).
// NEAREST: dojoisa.csrr r1, csr = 0
// NEAREST-NEXT: dojoisa.li r2, value = 4
// NEAREST-NOT: csr = 9
// BAD: error: convert-dojo-to-isa: edge-routes must be 'balanced' or 'nearest', got 'far'

// One kernel over a 1x4 grid on mesh row 0 of the 4x4 mesh: each core derives its grid
// point from its core id, loads its three tiles, waits for the three loads,
// multiplies into the FP32 accumulator, converts to BF16, adds the bias row,
// applies ReLU, stores its tile and waits for the store.
module attributes {dojo.target = #dojo.target<small>} {
func.func @layer(%x: tensor<16x32xbf16>, %w: tensor<32x64xbf16>, %b: tensor<64xbf16> {dojo.name = "bias"}) -> tensor<16x64xbf16> {
  %0 = dojo.kernel grid [1, 4]
      maps [affine_map<(i, j) -> (i, 0)>, affine_map<(i, j) -> (0, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>]
      ins(%x, %w, %b : tensor<16x32xbf16>, tensor<32x64xbf16>, tensor<64xbf16>)
      attributes {arg_offsets = array<i64: 0, 1024, 2048>, place_rows = array<i64: 0>, place_cols = array<i64: 0, 1, 2, 3>, sems = array<i64: 0, 1>, sram_bytes = 3648 : i64} -> tensor<16x64xbf16> {
  ^bb0(%tx: tensor<16x32xbf16>, %tw: tensor<32x16xbf16>, %tb: tensor<16xbf16>):
    %m = dojo.matmul %tx, %tw {dojo.scratch_offset = 2112 : i64, dojo.sram_offset = 3136 : i64} : tensor<16x32xbf16>, tensor<32x16xbf16> -> tensor<16x16xbf16>
    %a = dojo.add %m, %tb {dojo.sram_offset = 3136 : i64} : tensor<16x16xbf16>, tensor<16xbf16> -> tensor<16x16xbf16>
    %r = dojo.relu %a {dojo.sram_offset = 3136 : i64} : tensor<16x16xbf16>
    dojo.yield %r : tensor<16x16xbf16>
  }
  return %0 : tensor<16x64xbf16>
}
}

// CHECK-NOT: func.func
// CHECK: dojoisa.program target(<small>) dram_bytes(7296) {
// CHECK-NEXT: dojoisa.symbol "arg0" input bf16 [16, 32] at 0
// CHECK-NEXT: dojoisa.symbol "arg1" input bf16 [32, 64] at 1024
// CHECK-NEXT: dojoisa.symbol "bias" input bf16 [64] at 5120
// CHECK-NEXT: dojoisa.symbol "result0" output bf16 [16, 64] at 5248
// CHECK-NEXT: dojoisa.core 0, 0 section 0
// CHECK-NEXT: dojoisa.core 0, 1 section 0
// CHECK-NEXT: dojoisa.core 0, 2 section 0
// CHECK-NEXT: dojoisa.core 0, 3 section 0
// CHECK-NEXT: dojoisa.section 0 {
// CHECK-NEXT: dojoisa.csrr r1, csr = 0
// edge-routes=balanced: edge_mask (CSR 9) = 5 << ((row + col) & 1), N|S on
// even squares, E|W on odd ones.
// CHECK-NEXT: dojoisa.csrr r2, csr = 2
// CHECK-NEXT: dojoisa.csrr r9, csr = 3
// CHECK-NEXT: dojoisa.add r2, r2, r9
// CHECK-NEXT: dojoisa.li r9, value = 1
// CHECK-NEXT: dojoisa.and r2, r2, r9
// CHECK-NEXT: dojoisa.li r9, value = 5
// CHECK-NEXT: dojoisa.shl r9, r9, r2
// CHECK-NEXT: dojoisa.csrw r9, csr = 9
// Grid point (r3, r4) = (id / 4, id % 4).
// CHECK-NEXT: dojoisa.li r2, value = 4
// CHECK-NEXT: dojoisa.divu r3, r1, r2
// CHECK-NEXT: dojoisa.remu r4, r1, r2
// Row block of x: 16 rows of 64 bytes at 0 + i * 1024.
// CHECK-NEXT: dojoisa.li r6, value = 0
// CHECK-NEXT: dojoisa.muli r5, r3, imm = 1024
// CHECK-NEXT: dojoisa.add r6, r6, r5
// CHECK-NEXT: dojoisa.li r7, value = 0
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 16, bytes = 64, dstride = 64, sstride = 64, sem = 0
// Column block of w: 32 rows of 32 bytes, source stride 128, at 1024 + j * 32.
// CHECK-NEXT: dojoisa.li r6, value = 1024
// CHECK-NEXT: dojoisa.muli r5, r4, imm = 32
// CHECK-NEXT: dojoisa.add r6, r6, r5
// CHECK-NEXT: dojoisa.li r7, value = 1024
// CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 32, bytes = 32, dstride = 32, sstride = 128, sem = 0
// CHECK: dojoisa.dma.ld r7, r6, rows = 1, bytes = 32, dstride = 32, sstride = 128, sem = 0
// CHECK-NEXT: dojoisa.sem.wait sem = 0, count = 3
// CHECK-NEXT: dojoisa.li r8, value = 2112
// CHECK-NEXT: dojoisa.li r9, value = 0
// CHECK-NEXT: dojoisa.li r10, value = 1024
// CHECK-NEXT: dojoisa.mm r8, r9, r10, m = 16, n = 16, k = 32, ldc = 16, lda = 32, ldb = 16, acc = 0, dt = 1
// CHECK-NEXT: dojoisa.li r9, value = 3136
// CHECK-NEXT: dojoisa.vcvt r9, r8, rows = 16, cols = 16, ldd = 16, lda = 16, dtd = 1, dta = 0, rnd = 0
// CHECK: dojoisa.vadd r8, r9, r10, rows = 16, cols = 16, ldd = 16, lda = 16, ldb = 0, dtd = 1, dta = 1, dtb = 1
// CHECK: dojoisa.vrelu r8, r9, rows = 16, cols = 16, ldd = 16, lda = 16, dtd = 1, dta = 1
// Result tile: 16 rows of 32 bytes into a 128-byte-stride tensor at 5248 + i*2048 + j*32.
// CHECK: dojoisa.li r6, value = 5248
// CHECK-NEXT: dojoisa.muli r5, r3, imm = 2048
// CHECK-NEXT: dojoisa.add r6, r6, r5
// CHECK-NEXT: dojoisa.muli r5, r4, imm = 32
// CHECK-NEXT: dojoisa.add r6, r6, r5
// The tile's address is kept in r24 (the row stores of every store path).
// CHECK-NEXT: dojoisa.mov r24, r6
// CHECK-NEXT: dojoisa.addi r6, r24, imm = 0
// CHECK-NEXT: dojoisa.li r7, value = 3136
// CHECK-NEXT: dojoisa.dma.st r6, r7, rows = 16, bytes = 32, dstride = 128, sstride = 32, sem = 1
// CHECK-NEXT: dojoisa.sem.wait sem = 1, count = 1
// CHECK-NEXT: dojoisa.halt
