; Hand-written program for a dojo-run fault test (see ../faults.test).
.target tiny
.dram 64
.output result0 f32 16 @0
.core 0 0 section=0

.section 0
  csrr r1, csr=77
  halt
