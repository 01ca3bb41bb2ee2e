; Hand-written program for a dojo-run fault test (see ../faults.test).
.target tiny
.dram 64
.output result0 f32 16 @0
.core 0 0 section=0

.section 0
  li r2, value=2000000
  ld r1, r2, off=0
  halt
