; Dojo program (assembly); see docs/isa.md
.target tiny
.dram 2048
.input arg0 bf16 16x32 @0
.output result0 bf16 16x32 @1024
.core 0 0 section=0 ; core 0
.core 0 1 section=0 ; core 1
.core 1 0 section=0 ; core 2
.core 1 1 section=0 ; core 3

.section 0
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:2:1"
  csrr r1, csr=coreid                                      ; 0
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  mov r3, r1                                               ; 1
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r6, value=0                                           ; 2
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  muli r5, r3, imm=256                                     ; 3
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  add r6, r6, r5                                           ; 4
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r7, value=0                                           ; 5
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  dma.ld r7, r6, rows=4, bytes=64, dstride=64, sstride=64, sem=0 ; 6
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  sem.wait sem=0, count=1                                  ; 7
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r8, value=0                                           ; 8
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r9, value=0                                           ; 9
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  vrelu r8, r9, rows=4, cols=32, ldd=32, lda=32, dtd=bf16, dta=bf16 ; 10
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r6, value=1024                                        ; 11
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  muli r5, r3, imm=256                                     ; 12
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  add r6, r6, r5                                           ; 13
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  li r7, value=0                                           ; 14
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  dma.st r6, r7, rows=4, bytes=64, dstride=64, sstride=64, sem=1 ; 15
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:3:8"
  sem.wait sem=1, count=1                                  ; 16
.loc "/work/main/test/lit/dojo-run/Inputs/relu16x32.mlir:4:3"
  halt                                                     ; 17
