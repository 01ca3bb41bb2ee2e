; A misaligned 64-bit load (memory fault, exit 12).
.target tiny
.core 0 0 section=0

.section 0
        li r2, value=12
        ld r1, r2, off=0
        halt
