; Core 0 loads 256 bytes and multicasts them to all four cores of the tiny
; mesh from a communication thread (thread 1) while thread 0 multiplies;
; every core stores its copy.
.target tiny
.dram 2048
.input x i32 64 @0
.output y i32 4x64 @1024
.core 0 0 section=0
.core 0 1 section=1
.core 1 0 section=1
.core 1 1 section=1

.section 0
        tspawn thread=1, target=@comm
        li r3, value=65536
        mm r3, r0, r0, m=64, n=64, k=64, ldc=64, lda=64, ldb=64, acc=0, dt=bf16
        sem.wait sem=1, count=1
        li r2, value=1024
        li r3, value=4096
        dma.st r2, r3, rows=1, bytes=256, dstride=0, sstride=0, sem=2
        sem.wait sem=2, count=1
        halt
comm:
        dma.ld r0, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=1
        li r3, value=4096
        dma.mcast r3, r0, r0, r0, rows=1, bytes=256, dstride=0, sstride=0, sem=1, height=2, width=2
        halt

.section 1
        sem.wait sem=1, count=1
        csrr r1, csr=coreid
        muli r2, r1, imm=256
        addi r2, r2, imm=1024
        li r3, value=4096
        dma.st r2, r3, rows=1, bytes=256, dstride=0, sstride=0, sem=2
        sem.wait sem=2, count=1
        halt
