; Every scalar ALU op and CSR read, then a division by zero (fault 11).
.target small
.dram 0
.core 3 2 section=0

.section 0
        li r1, value=-7
        li r2, value=3
        mov r3, r1
        add r4, r1, r2
        sub r5, r1, r2
        mul r6, r1, r2
        divu r7, r1, r2
        remu r8, r1, r2
        min r9, r1, r2
        max r10, r1, r2
        and r11, r1, r2
        or r12, r1, r2
        xor r13, r1, r2
        shl r14, r1, r2
        shr r15, r1, r2
        addi r16, r1, imm=2147483647
        muli r17, r1, imm=-2147483648
        andi r18, r1, imm=255
        ori r19, r1, imm=256
        slli r20, r1, imm=63
        srli r21, r1, imm=1
        csrr r22, csr=coreid
        csrr r23, csr=ncores
        csrr r24, csr=row
        csrr r25, csr=col
        csrr r26, csr=thread
        li r0, value=5
        beq r0, r0, target=@next
        nop
next:   bge r1, r2, target=@end
        divu r27, r1, r0
end:    halt
