; Hand-written program for a dojo-run fault test (see ../faults.test).
.target tiny
.dram 64
.output result0 f32 16 @0
.core 0 0 section=0
.core 0 1 section=0

.section 0
  sem.wait sem=0, count=1
  halt
