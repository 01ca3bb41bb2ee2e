; A counted loop with a label; the sum is stored to SRAM and loaded back.
.target tiny
.dram 8
.output s i32 scalar @0
.core 0 0 section=0

.section 0
        li r1, value=0
        li r2, value=1
        li r3, value=101
loop:   add r1, r1, r2
        addi r2, r2, imm=1
        blt r2, r3, target=@loop
        st r1, r0, off=16
        ld r4, r0, off=16
        bne r1, r4, target=@bad
        dma.st r0, r0, rows=1, bytes=4, dstride=0, sstride=0, sem=3
        sem.wait sem=3, count=1
        halt
bad:    jmp target=@bad
