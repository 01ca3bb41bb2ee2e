// Sizes that no grid divides: the last tile of a dimension is ragged. Every
// core computes on a whole tile; only the part inside the tensor is loaded
// and stored (edge cores run their own DMA variants), so results stay
// bit-exact, with K streaming and multicast (K = 200) and a fused epilogue.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target="small disabled=2:1" --verify --seed 5 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{multicast=false}' | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options='dojo-schedule{k-chunks=1}' | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// The store has a variant per (last row?, last column?) combination.
// ISA: dojoisa.dma.st {{.*}} rows = {{[0-9]+}}
// ISA: dojoisa.dma.st {{.*}} rows = {{[0-9]+}}
// ISA: dojoisa.dma.st {{.*}} rows = {{[0-9]+}}
// ISA: dojoisa.dma.st {{.*}} rows = {{[0-9]+}}
func.func @f(%x: tensor<50x200xbf16>, %w: tensor<200x70xbf16>, %b: tensor<70xbf16>) -> tensor<50x70xbf16> {
  %0 = dojo.matmul %x, %w : tensor<50x200xbf16>, tensor<200x70xbf16> -> tensor<50x70xbf16>
  %1 = dojo.add %0, %b : tensor<50x70xbf16>, tensor<70xbf16> -> tensor<50x70xbf16>
  %2 = dojo.tanh %1 : tensor<50x70xbf16>
  return %2 : tensor<50x70xbf16>
}
