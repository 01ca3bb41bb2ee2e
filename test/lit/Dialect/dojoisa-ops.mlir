// RUN: dojo-opt %s | FileCheck %s
// RUN: dojo-opt %s | dojo-opt | FileCheck %s

// CHECK: dojoisa.program target(<tiny>) dram_bytes(4096) {
dojoisa.program target(<tiny>) dram_bytes(4096) {
  // CHECK-NEXT: dojoisa.symbol "x" input bf16 [8, 8] at 0
  dojoisa.symbol "x" input bf16 [8, 8] at 0
  // CHECK-NEXT: dojoisa.symbol "y" output f32 [8, 8] at 128
  dojoisa.symbol "y" output f32 [8, 8] at 128
  // CHECK-NEXT: dojoisa.core 0, 1 section 0
  dojoisa.core 0, 1 section 0
  // CHECK-NEXT: dojoisa.section 0 {
  dojoisa.section 0 {
    // CHECK-NEXT: dojoisa.csrr r1, csr = 0
    dojoisa.csrr r1, csr = 0
    // CHECK-NEXT: dojoisa.li r6, value = -5
    dojoisa.li r6, value = -5
    // CHECK-NEXT: dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 0
    dojoisa.dma.ld r7, r6, rows = 8, bytes = 16, dstride = 16, sstride = 16, sem = 0
    // CHECK-NEXT: dojoisa.sem.wait sem = 0, count = 1
    dojoisa.sem.wait sem = 0, count = 1
    // CHECK-NEXT: dojoisa.mm r8, r9, r10, m = 8, n = 8, k = 8, ldc = 8, lda = 8, ldb = 8, acc = 0, dt = 1
    dojoisa.mm r8, r9, r10, m = 8, n = 8, k = 8, ldc = 8, lda = 8, ldb = 8, acc = 0, dt = 1
    // CHECK-NEXT: dojoisa.vadd r8, r9, r10, rows = 8, cols = 8, ldd = 8, lda = 8, ldb = 0, dtd = 1, dta = 1, dtb = 1
    dojoisa.vadd r8, r9, r10, rows = 8, cols = 8, ldd = 8, lda = 8, ldb = 0, dtd = 1, dta = 1, dtb = 1
    // CHECK-NEXT: dojoisa.bge r1, r2, target = 9
    dojoisa.bge r1, r2, target = 9
    // CHECK-NEXT: dojoisa.barrier
    dojoisa.barrier
    // CHECK-NEXT: dojoisa.halt
    dojoisa.halt
  }
}
