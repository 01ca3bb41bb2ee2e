// RUN: dojo-opt %S/../Inputs/mlp_small.mlir --dojo-pipeline=target=tiny -o %t.mlir
// RUN: dojo-translate --dojo-to-asm %t.mlir | FileCheck %s
// Binary emission, disassembly, and assembly round trip exactly:
// RUN: dojo-translate --dojo-to-asm %t.mlir -o %t.s
// RUN: dojo-translate --dojo-to-bin %t.mlir -o %t.bin
// RUN: dojo-translate --dojo-bin-to-asm %t.bin -o %t.dis.s
// RUN: diff %t.s %t.dis.s
// RUN: dojo-translate --dojo-asm-to-bin %t.s -o %t.re.bin
// RUN: cmp %t.bin %t.re.bin

// CHECK: .target tiny
// CHECK: .input arg0 bf16 16x32 @0
// CHECK: .output result0 bf16 16x32
// CHECK: .core 0 0 section=0
// CHECK: .core 1 1 section=0
// CHECK: .section 0
// CHECK: csrr r1, csr=coreid
// CHECK: dma.ld r7, r6, rows=8, bytes=64
// CHECK: sem.wait sem=0, count=3
// CHECK: mm r8, r9, r10, m=8, n=32, k=32, ldc=32, lda=32, ldb=32, acc=0, dt=bf16
// CHECK: vcvt r9, r8, rows=8, cols=32, ldd=32, lda=32, dtd=bf16, dta=f32, rnd=0
// CHECK: vrelu
// CHECK: dma.st
// CHECK: barrier
// CHECK: halt
