; No halt: the core runs off the end of its section (illegal instruction).
.target tiny
.core 0 0 section=0

.section 0
        nop
        nop
