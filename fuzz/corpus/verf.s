; verf (erf on the vector unit) on FP32 and BF16 tiles, then cfp8 casts of
; the result at the default bias CSRs.
.target tiny
.dram 1024
.input x f32 4x16 @0
.output y bf16 4x16 @256
.output q cfp8_143 4x16 @512
.core 0 0 section=0

.section 0
        li r1, value=0
        dma.ld r1, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=1
        li r2, value=256
        verf r2, r1, rows=4, cols=16, ldd=16, lda=16, dtd=f32, dta=f32
        li r3, value=512
        verf r3, r2, rows=4, cols=16, ldd=16, lda=16, dtd=bf16, dta=f32
        li r4, value=768
        vcvt r4, r2, rows=4, cols=16, ldd=16, lda=16, dtd=cfp8_143, dta=f32, rnd=0
        li r5, value=256
        dma.st r5, r3, rows=1, bytes=128, dstride=0, sstride=0, sem=1
        li r6, value=512
        dma.st r6, r4, rows=1, bytes=64, dstride=0, sstride=0, sem=1
        sem.wait sem=1, count=2
        halt
