; Dojo program (assembly); see docs/isa.md
.target tiny
.dram 3072
.input arg0 bf16 16x32 @0
.input arg1 bf16 32x16 @1024
.output result0 f32 16x16 @2048
.core 0 0 section=0 ; core 0
.core 0 1 section=0 ; core 1
.core 1 0 section=0 ; core 2
.core 1 1 section=0 ; core 3

.section 0
.loc "<python>:2:1"
  csrr r1, csr=coreid                                      ; 0
.loc "<python>:6:8"
  li r2, value=2                                           ; 1
.loc "<python>:6:8"
  divu r3, r1, r2                                          ; 2
.loc "<python>:6:8"
  remu r4, r1, r2                                          ; 3
.loc "<python>:6:8"
  li r6, value=0                                           ; 4
.loc "<python>:6:8"
  muli r5, r3, imm=512                                     ; 5
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 6
.loc "<python>:6:8"
  li r7, value=0                                           ; 7
.loc "<python>:6:8"
  dma.ld r7, r6, rows=8, bytes=64, dstride=64, sstride=64, sem=0 ; 8
.loc "<python>:6:8"
  li r6, value=1024                                        ; 9
.loc "<python>:6:8"
  muli r5, r4, imm=16                                      ; 10
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 11
.loc "<python>:6:8"
  li r7, value=512                                         ; 12
.loc "<python>:6:8"
  dma.ld r7, r6, rows=32, bytes=16, dstride=16, sstride=32, sem=0 ; 13
.loc "<python>:6:8"
  sem.wait sem=0, count=2                                  ; 14
.loc "<python>:6:8"
  li r8, value=1024                                        ; 15
.loc "<python>:6:8"
  li r9, value=0                                           ; 16
.loc "<python>:6:8"
  li r10, value=512                                        ; 17
.loc "<python>:6:8"
  mm r8, r9, r10, m=8, n=8, k=32, ldc=8, lda=32, ldb=8, acc=0, dt=bf16 ; 18
.loc "<python>:6:8"
  li r6, value=2048                                        ; 19
.loc "<python>:6:8"
  muli r5, r3, imm=512                                     ; 20
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 21
.loc "<python>:6:8"
  muli r5, r4, imm=32                                      ; 22
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 23
.loc "<python>:6:8"
  li r7, value=1024                                        ; 24
.loc "<python>:6:8"
  dma.st r6, r7, rows=8, bytes=32, dstride=64, sstride=32, sem=1 ; 25
.loc "<python>:6:8"
  sem.wait sem=1, count=1                                  ; 26
.loc "<python>:8:3"
  halt                                                     ; 27
