; A tile that runs past the end of SRAM (memory fault).
.target tiny sram_bytes=4096
.core 1 0 section=0

.section 0
        li r1, value=4000
        vfill r1, rows=2, cols=16, ldd=16, dtd=f32, bits=0
        halt
