; Dojo program (assembly); see docs/isa.md
.target tiny
.dram 12480
.input arg0 bf16 16x32 @0
.input arg1 bf16 32x64 @1024
.input arg2 bf16 64 @5120
.input arg3 bf16 64x32 @5248
.input arg4 bf16 32 @9344
.output result0 bf16 16x32 @9408
.core 0 0 section=0 ; core 0
.core 0 1 section=0 ; core 1
.core 1 0 section=0 ; core 2
.core 1 1 section=0 ; core 3

.section 0
.loc "<python>:11:1"
  csrr r1, csr=coreid                                      ; 0
.loc "<python>:19:10"
  li r2, value=4                                           ; 1
.loc "<python>:19:10"
  divu r3, r1, r2                                          ; 2
.loc "<python>:19:10"
  remu r4, r1, r2                                          ; 3
.loc "<python>:19:10"
  li r6, value=0                                           ; 4
.loc "<python>:19:10"
  muli r5, r3, imm=1024                                    ; 5
.loc "<python>:19:10"
  add r6, r6, r5                                           ; 6
.loc "<python>:19:10"
  li r7, value=0                                           ; 7
.loc "<python>:19:10"
  dma.ld r7, r6, rows=16, bytes=64, dstride=64, sstride=64, sem=0 ; 8
.loc "<python>:19:10"
  li r6, value=1024                                        ; 9
.loc "<python>:19:10"
  muli r5, r4, imm=32                                      ; 10
.loc "<python>:19:10"
  add r6, r6, r5                                           ; 11
.loc "<python>:19:10"
  li r7, value=1024                                        ; 12
.loc "<python>:19:10"
  dma.ld r7, r6, rows=32, bytes=32, dstride=32, sstride=128, sem=0 ; 13
.loc "<python>:19:10"
  li r6, value=5120                                        ; 14
.loc "<python>:19:10"
  muli r5, r4, imm=32                                      ; 15
.loc "<python>:19:10"
  add r6, r6, r5                                           ; 16
.loc "<python>:19:10"
  li r7, value=2048                                        ; 17
.loc "<python>:19:10"
  dma.ld r7, r6, rows=1, bytes=32, dstride=32, sstride=128, sem=0 ; 18
.loc "<python>:19:10"
  sem.wait sem=0, count=3                                  ; 19
.loc "<python>:19:10"
  li r8, value=2112                                        ; 20
.loc "<python>:19:10"
  li r9, value=0                                           ; 21
.loc "<python>:19:10"
  li r10, value=1024                                       ; 22
.loc "<python>:19:10"
  mm r8, r9, r10, m=16, n=16, k=32, ldc=16, lda=32, ldb=16, acc=0, dt=bf16 ; 23
.loc "<python>:19:10"
  li r9, value=3136                                        ; 24
.loc "<python>:19:10"
  vcvt r9, r8, rows=16, cols=16, ldd=16, lda=16, dtd=bf16, dta=f32, rnd=0 ; 25
.loc "<python>:21:9"
  li r8, value=3136                                        ; 26
.loc "<python>:21:9"
  li r9, value=3136                                        ; 27
.loc "<python>:21:9"
  li r10, value=2048                                       ; 28
.loc "<python>:21:9"
  vadd r8, r9, r10, rows=16, cols=16, ldd=16, lda=16, ldb=0, dtd=bf16, dta=bf16, dtb=bf16 ; 29
.loc "<python>:29:8"
  li r8, value=3136                                        ; 30
.loc "<python>:29:8"
  li r9, value=3136                                        ; 31
.loc "<python>:29:8"
  vrelu r8, r9, rows=16, cols=16, ldd=16, lda=16, dtd=bf16, dta=bf16 ; 32
.loc "<python>:19:10"
  li r6, value=10432                                       ; 33
.loc "<python>:19:10"
  muli r5, r3, imm=2048                                    ; 34
.loc "<python>:19:10"
  add r6, r6, r5                                           ; 35
.loc "<python>:19:10"
  muli r5, r4, imm=32                                      ; 36
.loc "<python>:19:10"
  add r6, r6, r5                                           ; 37
.loc "<python>:19:10"
  li r7, value=3136                                        ; 38
.loc "<python>:19:10"
  dma.st r6, r7, rows=16, bytes=32, dstride=128, sstride=32, sem=1 ; 39
.loc "<python>:19:10"
  sem.wait sem=1, count=1                                  ; 40
.loc "<python>:40:10"
  barrier                                                  ; 41
.loc "<python>:40:10"
  li r2, value=4                                           ; 42
.loc "<python>:40:10"
  divu r3, r1, r2                                          ; 43
.loc "<python>:40:10"
  remu r4, r1, r2                                          ; 44
.loc "<python>:40:10"
  li r6, value=10432                                       ; 45
.loc "<python>:40:10"
  muli r5, r3, imm=2048                                    ; 46
.loc "<python>:40:10"
  add r6, r6, r5                                           ; 47
.loc "<python>:40:10"
  li r7, value=0                                           ; 48
.loc "<python>:40:10"
  dma.ld r7, r6, rows=16, bytes=128, dstride=128, sstride=128, sem=0 ; 49
.loc "<python>:40:10"
  li r6, value=5248                                        ; 50
.loc "<python>:40:10"
  muli r5, r4, imm=16                                      ; 51
.loc "<python>:40:10"
  add r6, r6, r5                                           ; 52
.loc "<python>:40:10"
  li r7, value=2048                                        ; 53
.loc "<python>:40:10"
  dma.ld r7, r6, rows=64, bytes=16, dstride=16, sstride=64, sem=0 ; 54
.loc "<python>:40:10"
  li r6, value=9344                                        ; 55
.loc "<python>:40:10"
  muli r5, r4, imm=16                                      ; 56
.loc "<python>:40:10"
  add r6, r6, r5                                           ; 57
.loc "<python>:40:10"
  li r7, value=3072                                        ; 58
.loc "<python>:40:10"
  dma.ld r7, r6, rows=1, bytes=16, dstride=16, sstride=64, sem=0 ; 59
.loc "<python>:40:10"
  sem.wait sem=0, count=3                                  ; 60
.loc "<python>:40:10"
  li r8, value=3136                                        ; 61
.loc "<python>:40:10"
  li r9, value=0                                           ; 62
.loc "<python>:40:10"
  li r10, value=2048                                       ; 63
.loc "<python>:40:10"
  mm r8, r9, r10, m=16, n=8, k=64, ldc=8, lda=64, ldb=8, acc=0, dt=bf16 ; 64
.loc "<python>:40:10"
  li r9, value=3648                                        ; 65
.loc "<python>:40:10"
  vcvt r9, r8, rows=16, cols=8, ldd=8, lda=8, dtd=bf16, dta=f32, rnd=0 ; 66
.loc "<python>:42:8"
  li r8, value=3648                                        ; 67
.loc "<python>:42:8"
  li r9, value=3648                                        ; 68
.loc "<python>:42:8"
  li r10, value=3072                                       ; 69
.loc "<python>:42:8"
  vadd r8, r9, r10, rows=16, cols=8, ldd=8, lda=8, ldb=0, dtd=bf16, dta=bf16, dtb=bf16 ; 70
.loc "<python>:40:10"
  li r6, value=9408                                        ; 71
.loc "<python>:40:10"
  muli r5, r3, imm=1024                                    ; 72
.loc "<python>:40:10"
  add r6, r6, r5                                           ; 73
.loc "<python>:40:10"
  muli r5, r4, imm=16                                      ; 74
.loc "<python>:40:10"
  add r6, r6, r5                                           ; 75
.loc "<python>:40:10"
  li r7, value=3648                                        ; 76
.loc "<python>:40:10"
  dma.st r6, r7, rows=16, bytes=16, dstride=64, sstride=16, sem=1 ; 77
.loc "<python>:40:10"
  sem.wait sem=1, count=1                                  ; 78
.loc "<python>:50:3"
  halt                                                     ; 79
