; y = relu(x @ w) on one core (docs/isa.md section 13).
.target tiny
.dram 768
.input x bf16 8x16 @0
.input w bf16 16x8 @256
.output y f32 8x8 @512
.core 0 0 section=0

.section 0
        li r1, value=0
        li r2, value=256
        li r3, value=512
        li r4, value=256
        dma.ld r1, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=0
        dma.ld r2, r4, rows=1, bytes=256, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=2
.loc "mlp.mlir:4:10"
        mm r3, r1, r2, m=8, n=8, k=16, ldc=8, lda=16, ldb=8, acc=0, dt=bf16
.loc "mlp.mlir:5:10"
        vrelu r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        li r5, value=512
        dma.st r5, r3, rows=1, bytes=256, dstride=0, sstride=0, sem=1
        sem.wait sem=1, count=1
        halt
