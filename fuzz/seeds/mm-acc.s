; mm with shapes that are not multiples of the 8x8x4 step, accumulating.
.target tiny
.dram 4096
.input a bf16 13x10 @0
.input b bf16 10x7 @512
.output c f32 13x7 @1024
.core 0 1 section=0

.section 0
        li r1, value=0
        li r2, value=512
        li r3, value=1024
        li r4, value=512
        dma.ld r1, r0, rows=1, bytes=260, dstride=0, sstride=0, sem=0
        dma.ld r2, r4, rows=1, bytes=140, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=2
        vfill r3, rows=13, cols=7, ldd=7, dtd=f32, bits=0x3f800000
        mm r3, r1, r2, m=13, n=7, k=10, ldc=7, lda=10, ldb=7, acc=1, dt=bf16
        mm r3, r1, r2, m=5, n=3, k=9, ldc=7, lda=10, ldb=7, acc=1, dt=bf16
        li r5, value=1024
        dma.st r5, r3, rows=13, bytes=28, dstride=28, sstride=28, sem=1
        sem.wait sem=1, count=1
        halt
