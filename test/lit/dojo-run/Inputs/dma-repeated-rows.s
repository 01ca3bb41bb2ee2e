; Hand-written program for dma-repeated-rows.test: each DMA asks for
; 2^31 - 1 rows of 1 KiB (2 TiB) that all land on the same (dstride=0) or
; overlapping (dstride=1) destination bytes.
.target tiny
.dram 4096
.input x f32 1024 @0
.output y f32 8 @0
.core 0 0 section=0

.section 0
        dma.ld r0, r0, rows=2147483647, bytes=1024, dstride=0, sstride=0, sem=0
        li r1, value=2048
        dma.ld r1, r0, rows=2048, bytes=1024, dstride=1, sstride=1, sem=0
        sem.wait sem=0, count=2
        li r2, value=2048
        dma.st r0, r2, rows=2147483647, bytes=32, dstride=0, sstride=0, sem=1
        sem.wait sem=1, count=1
        halt
