; Dojo program (assembly); see docs/isa.md
.target small
.dram 3072
.input arg0 bf16 16x32 @0
.input arg1 bf16 32x16 @1024
.output result0 f32 16x16 @2048
.core 0 0 section=0 ; core 0
.core 0 1 section=0 ; core 1
.core 0 2 section=0 ; core 2
.core 0 3 section=0 ; core 3
.core 1 0 section=0 ; core 4
.core 1 1 section=0 ; core 5
.core 1 2 section=0 ; core 6
.core 1 3 section=0 ; core 7
.core 2 0 section=0 ; core 8
.core 2 1 section=0 ; core 9
.core 2 2 section=0 ; core 10
.core 2 3 section=0 ; core 11
.core 3 0 section=0 ; core 12
.core 3 1 section=0 ; core 13
.core 3 2 section=0 ; core 14
.core 3 3 section=0 ; core 15

.section 0
.loc "<python>:2:1"
  csrr r1, csr=coreid                                      ; 0
.loc "<python>:6:8"
  li r2, value=4                                           ; 1
.loc "<python>:6:8"
  divu r3, r1, r2                                          ; 2
.loc "<python>:6:8"
  remu r4, r1, r2                                          ; 3
.loc "<python>:6:8"
  li r6, value=0                                           ; 4
.loc "<python>:6:8"
  muli r5, r3, imm=256                                     ; 5
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 6
.loc "<python>:6:8"
  li r7, value=0                                           ; 7
.loc "<python>:6:8"
  dma.ld r7, r6, rows=4, bytes=64, dstride=64, sstride=64, sem=0 ; 8
.loc "<python>:6:8"
  li r6, value=1024                                        ; 9
.loc "<python>:6:8"
  muli r5, r4, imm=8                                       ; 10
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 11
.loc "<python>:6:8"
  li r7, value=256                                         ; 12
.loc "<python>:6:8"
  dma.ld r7, r6, rows=32, bytes=8, dstride=8, sstride=32, sem=0 ; 13
.loc "<python>:6:8"
  sem.wait sem=0, count=2                                  ; 14
.loc "<python>:6:8"
  li r8, value=512                                         ; 15
.loc "<python>:6:8"
  li r9, value=0                                           ; 16
.loc "<python>:6:8"
  li r10, value=256                                        ; 17
.loc "<python>:6:8"
  mm r8, r9, r10, m=4, n=4, k=32, ldc=4, lda=32, ldb=4, acc=0, dt=bf16 ; 18
.loc "<python>:6:8"
  li r6, value=2048                                        ; 19
.loc "<python>:6:8"
  muli r5, r3, imm=256                                     ; 20
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 21
.loc "<python>:6:8"
  muli r5, r4, imm=16                                      ; 22
.loc "<python>:6:8"
  add r6, r6, r5                                           ; 23
.loc "<python>:6:8"
  li r7, value=512                                         ; 24
.loc "<python>:6:8"
  dma.st r6, r7, rows=4, bytes=16, dstride=64, sstride=16, sem=1 ; 25
.loc "<python>:6:8"
  sem.wait sem=1, count=1                                  ; 26
.loc "<python>:8:3"
  halt                                                     ; 27
