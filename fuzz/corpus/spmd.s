; Every core of a 2x2 mesh adds 1.0 to its row of x, then a barrier.
.target tiny
.dram 256
.input x f32 4x8 @0
.output y f32 4x8 @128
.core 0 0 section=0
.core 0 1 section=0
.core 1 0 section=0
.core 1 1 section=0

.section 0
        csrr r1, csr=coreid
        muli r2, r1, imm=32
        dma.ld r0, r2, rows=1, bytes=32, dstride=0, sstride=0, sem=0
        li r3, value=64
        vfill r3, rows=1, cols=8, ldd=8, dtd=f32, bits=0x3f800000
        sem.wait sem=0, count=1
        vadd r0, r0, r3, rows=1, cols=8, ldd=8, lda=8, ldb=0, dtd=f32, dta=f32, dtb=f32
        addi r4, r2, imm=128
        dma.st r4, r0, rows=1, bytes=32, dstride=0, sstride=0, sem=1
        sem.wait sem=1, count=1
        barrier
        halt
