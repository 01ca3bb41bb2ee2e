// Function-level data movement: pad (border fills overlapping the interior
// copy), concat
// along an inner axis, a strided slice that is copied, a contiguous slice
// that aliases its input (no code) and is returned through a reshape, a
// strided one that is copied, view
// slices read straight from the padded tensor by a concat (an im2col of a
// 3x3 stride-2 window), and a splat constant. Odd sizes, size-1 dims; on one
// core (tiny with max one core is not needed: tiny has 4) up to the d1 mesh.
// Bit-exact against the reference interpreter.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 4 | FileCheck %s
// A run longer than the SRAM staging buffer is cut into rows:
// RUN: dojo-run %S/Inputs/long-run.mlir --target="tiny sram_bytes=1024" --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=PAD
// The first pad: its border rows are staged in the upper half of the
// 256 KiB staging buffer and stored on semaphore 2 (counted in r13) while
// the interior is copied through the lower half (semaphores 0 and 1);
// the border stores are awaited after the copy, before the barrier.
// PAD: dojoisa.li r13, value = 0
// PAD: dojoisa.li r7, value = 131072
// PAD-NEXT: dojoisa.vfill r7, rows = 1, cols = 21
// PAD: dojoisa.dma.st r17, r7, {{.*}} sem = 2
// PAD: dojoisa.addi r13, r13, imm = 1
// PAD: dojoisa.dma.ld r7, r6, {{.*}} sem = 0
// PAD: dojoisa.dma.st {{.*}} sem = 1
// PAD: dojoisa.sem.wait sem = 2, count = 1
// PAD-NEXT: dojoisa.addi r13, r13, imm = -1
// PAD: dojoisa.barrier
// Consecutive copies overlap: a copy leaves its last store (r24 pending,
// from the staging half in r22) in flight; the next loads its first block
// into the other half (r7 = half - r22) and waits for that store only
// before it reuses the half; a barrier drains it first.
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=CHAIN
// CHAIN: dojoisa.li r24, value = 1
// CHAIN: dojoisa.beq r24, r0
// CHAIN-NEXT: dojoisa.sem.wait sem = 1, count = 1
// CHAIN-NEXT: dojoisa.barrier
// CHAIN: dojoisa.li r24, value = 1
// CHAIN-NOT: sem.wait sem = 1
// CHAIN-NOT: li r24, value = 0
// CHAIN: dojoisa.sub r7, r2, r22
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// The contiguous slice's symbol points into its input: element
// (1, 2, 0, 0) of arg0 is byte (90 + 30) * 2.
// ISA: dojoisa.symbol "result6" output bf16 [9, 5] at 240
// ISA: dojoisa.vfill
// ISA: dojoisa.barrier
// ISA: dojoisa.dma.ld
// ISA: dojoisa.dma.st
func.func @f(%x: tensor<2x6x5x3xbf16>, %y: tensor<3x5x7xf32>, %z: tensor<3x2x7xf32>)
    -> (tensor<2x4x3x27xbf16>, tensor<1x5x3xbf16>, tensor<5x9x11xf32>, tensor<3x7x7xf32>, tensor<3x2x3xf32>, tensor<3x1xf32>, tensor<9x5xbf16>) {
  %p = dojo.pad %x low [0, 1, 1, 0] high [0, 1, 1, 0] value 0.0 : tensor<2x6x5x3xbf16> -> tensor<2x8x7x3xbf16>
  %s0 = dojo.slice %p offsets [0, 0, 0, 0] sizes [2, 4, 3, 3] strides [1, 2, 2, 1] : tensor<2x8x7x3xbf16> -> tensor<2x4x3x3xbf16>
  %s1 = dojo.slice %p offsets [0, 0, 1, 0] sizes [2, 4, 3, 3] strides [1, 2, 2, 1] : tensor<2x8x7x3xbf16> -> tensor<2x4x3x3xbf16>
  %s2 = dojo.slice %p offsets [0, 1, 2, 0] sizes [2, 4, 3, 3] strides [1, 2, 2, 1] : tensor<2x8x7x3xbf16> -> tensor<2x4x3x3xbf16>
  %c = dojo.concat %s0, %s1, %s2, %s0, %s1, %s2, %s0, %s1, %s2 axis 3 : tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16>, tensor<2x4x3x3xbf16> -> tensor<2x4x3x27xbf16>
  %t = dojo.slice %x offsets [1, 0, 4, 0] sizes [1, 5, 1, 3] strides [1, 1, 1, 1] : tensor<2x6x5x3xbf16> -> tensor<1x5x1x3xbf16>
  %r = dojo.reshape %t : tensor<1x5x1x3xbf16> -> tensor<1x5x3xbf16>
  %py = dojo.pad %y low [1, 2, 3] high [1, 2, 1] value 0.5 : tensor<3x5x7xf32> -> tensor<5x9x11xf32>
  %cy = dojo.concat %y, %z axis 1 : tensor<3x5x7xf32>, tensor<3x2x7xf32> -> tensor<3x7x7xf32>
  %sy = dojo.slice %y offsets [0, 1, 1] sizes [3, 2, 3] strides [1, 2, 2] : tensor<3x5x7xf32> -> tensor<3x2x3xf32>
  %k = arith.constant dense<-2.5> : tensor<3x1xf32>
  %u = dojo.slice %x offsets [1, 2, 0, 0] sizes [1, 3, 5, 3] strides [1, 1, 1, 1] : tensor<2x6x5x3xbf16> -> tensor<1x3x5x3xbf16>
  %v = dojo.reshape %u : tensor<1x3x5x3xbf16> -> tensor<9x5xbf16>
  return %c, %r, %py, %cy, %sy, %k, %v : tensor<2x4x3x27xbf16>, tensor<1x5x3xbf16>, tensor<5x9x11xf32>, tensor<3x7x7xf32>, tensor<3x2x3xf32>, tensor<3x1xf32>, tensor<9x5xbf16>
}

