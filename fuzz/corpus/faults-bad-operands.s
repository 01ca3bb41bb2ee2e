; Invalid operands: semaphore index, core id, shapes (illegal instruction).
.target tiny semaphores=2
.core 0 0 section=0

.section 0
        li r1, value=7
        sem.signal r1, sem=0, count=1
        sem.wait sem=2, count=1
        mm r0, r0, r0, m=0, n=8, k=8, ldc=8, lda=8, ldb=8, acc=0, dt=bf16
        vadd r0, r0, r0, rows=1, cols=8, ldd=4, lda=8, ldb=8, dtd=f32, dta=f32, dtb=f32
        vcvt r0, r0, rows=1, cols=8, ldd=8, lda=8, dtd=9, dta=f32, rnd=0
        halt
