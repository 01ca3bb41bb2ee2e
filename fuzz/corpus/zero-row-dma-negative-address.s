; Dojo program (assembly); see docs/isa.md
; A zero-row dma.ld to address -7 (found by fuzz-short): moves nothing, is not
; bounds-checked, and must not form a pointer from its address.
.target tiny
.dram 1024
.input a f32 4x16 @0
.input b bf16 16 @256
.output d bf16 4x16 @512
.data @896 0000803f000000c0
.core 1 1 section=0 ; core 0

.section 0
  li r1, value=-7                                          ; 0
  li r2, value=256                                         ; 1
  li r9, value=896                                         ; 2
  dma.ld r1, r0, rows=0, bytes=64, dstride=64, sstride=64, sem=0 ; 3
  dma.ld r2, r2, rows=1, bytes=32, dstride=0, sstride=0, sem=0 ; 4
  li r3, value=1024                                        ; 5
  dma.ld r3, r9, rows=1, bytes=65528, dstride=0, sstride=0, sem=0 ; 6
  sem.wait sem=0, count=3                                  ; 7
  li r4, value=2048                                        ; 8
  vadd r4, r1, r2, rows=4, cols=16, ldd=16, lda=16, ldb=0, dtd=f32, dta=f32, dtb=bf16 ; 9
  vsub r4, r4, r1, rows=4, cols=16, ldd=16, lda=16, ldb=16, dtd=f32, dta=f32, dtb=f32 ; 10
  vmul r4, r4, r4, rows=4, cols=16, ldd=16, lda=16, ldb=16, dtd=f32, dta=f32, dtb=f32 ; 11
  vmax r4, r4, r1, rows=4, cols=16, ldd=16, lda=16, ldb=16, dtd=f32, dta=f32, dtb=f32 ; 12
  vmin r4, r4, r1, rows=4, cols=16, ldd=16, lda=16, ldb=16, dtd=f32, dta=f32, dtb=f32 ; 13
  vrelu r4, r4, rows=4, cols=16, ldd=16, lda=16, dtd=f32, dta=f32 ; 14
  li r5, value=4096                                        ; 15
  vcvt r5, r4, rows=4, cols=16, ldd=16, lda=16, dtd=bf16, dta=f32, rnd=0 ; 16
  li r6, value=8192                                        ; 17
  vcvt r6, r5, rows=4, cols=16, ldd=16, lda=16, dtd=i8, dta=bf16, rnd=0 ; 18
  vcvt r6, r5, rows=4, cols=16, ldd=16, lda=16, dtd=i32, dta=bf16, rnd=0 ; 19
  vfill r6, rows=2, cols=3, ldd=4, dtd=i8, bits=2139095040 ; 20
  li r7, value=512                                         ; 21
  dma.st r7, r5, rows=1, bytes=128, dstride=0, sstride=0, sem=1 ; 22
  sem.wait sem=1, count=1                                  ; 23
  halt                                                     ; 24
