; A 3x3 mesh with disabled cores, debug locations with escapes, a scalar
; symbol and an empty data segment.
.target tiny rows=3 cols=3 disabled=0:1,2:2
.dram 128
.input "odd name" i8 scalar @0
.input z i32 0x4 @8
.output out f32 2x2 @16
.data @32 ""
.data @40 ff
.core 2 1 section=0
.core 0 2 section=0

.section 0
.loc "a \"quoted\" path\\x.mlir:1:1"
        csrr r1, csr=row
.loc "tab\there\n"
        csrr r2, csr=col
        halt
