; A DMA that reads past the end of edge memory, with huge strides.
.target tiny
.dram 64
.core 0 0 section=0

.section 0
        li r1, value=-1
        slli r1, r1, imm=62
        dma.ld r0, r1, rows=2147483647, bytes=2147483647, dstride=2147483647, sstride=2147483647, sem=15
        halt
