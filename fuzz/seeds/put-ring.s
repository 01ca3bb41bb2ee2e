; Four cores pass a tile around a ring with dma.put and sem.signal.
.target tiny
.dram 256
.input x f32 16 @0
.output y f32 16 @64
.core 0 0 section=0
.core 0 1 section=1
.core 1 1 section=1
.core 1 0 section=1

.section 0
        dma.ld r0, r0, rows=1, bytes=64, dstride=0, sstride=0, sem=0
        sem.wait sem=0, count=1
        li r1, value=1
        li r2, value=128
        dma.put r2, r0, r1, rows=1, bytes=64, dstride=0, sstride=0, sem=1
        sem.wait sem=1, count=1
        li r3, value=64
        dma.st r3, r2, rows=1, bytes=64, dstride=0, sstride=0, sem=2
        sem.wait sem=2, count=1
        halt

.section 1
        csrr r1, csr=coreid
        csrr r4, csr=ncores
        addi r5, r1, imm=1
        remu r5, r5, r4
        sem.wait sem=1, count=1
        li r2, value=128
        dma.put r2, r2, r5, rows=2, bytes=32, dstride=32, sstride=32, sem=1
        sem.signal r5, sem=5, count=0
        halt
