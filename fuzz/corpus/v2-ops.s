; ISA v2 instructions (CSR writes, threads, fused and transcendental vector
; ops, reductions, transpose, multicast).
.target small
.dram 4096
.input x f32 8x8 @0
.output y f32 8x8 @256
.core 0 0 section=0
.core 0 1 section=1
.core 1 0 section=1
.core 1 1 section=1

.section 0
        li r1, value=9
        csrw r1, csr=5
        csrw r1, csr=8
        dma.ld r0, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=1
        li r2, value=1024
        li r3, value=2048
        vfma r2, r0, r0, r0, rows=8, cols=8, ldd=8, lda=8, ldb=8, ldc=8, dtd=f32, dts=f32
        vdiv r3, r2, r0, rows=8, cols=8, ldd=8, lda=8, ldb=8, dtd=f32, dta=f32, dtb=f32
        vcmp r3, r2, r0, rows=8, cols=8, ldd=8, lda=8, ldb=8, dtd=f32, dts=f32, cmp=2
        vsel r2, r3, r0, r2, rows=8, cols=8, ldd=8, ldm=8, lda=8, ldb=8, dtd=f32, dtm=f32
        vexp r3, r2, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vlog r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vsqrt r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vrsqrt r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vtanh r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vrecip r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vabs r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vneg r3, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vtrans r2, r3, rows=8, cols=8, ldd=8, lda=8, dtd=f32, dta=f32
        vredsum r3, r2, rows=8, cols=8, lda=8, axis=1, dtd=f32, dta=f32
        vredmax r3, r2, rows=8, cols=8, lda=8, axis=0, dtd=f32, dta=f32
        tspawn thread=1, target=@t1
        li r4, value=0
        li r5, value=1
        dma.mcast r2, r2, r4, r5, rows=1, bytes=256, dstride=0, sstride=0, sem=1, height=2, width=1
        li r6, value=256
        dma.st r6, r2, rows=1, bytes=256, dstride=0, sstride=0, sem=2
        sem.wait sem=2, count=1
        barrier
        halt
t1:     halt

.section 1
        barrier
        halt
