// Folded grids (KernelOp `fold`): a tall, narrow matmul puts several grid
// rows side by side on each mesh row; A is multicast over each grid row's
// span, B is broadcast whole to the kernel's placement rows by up to four
// loaders, and each core multiplies its own column block of it. Cores of
// those rows outside the grid (a short last fold, unused columns) consume
// the broadcast's semaphore counts before they leave the kernel, so the
// bias kernel after it is not disturbed. Bit-exact against the reference
// on every preset, with ragged tiles (300 rows, 70 and 37 columns), one
// grid column (each core loads its own A), and holes in a packed mesh.
// RUN: dojo-run %s --target=tiny --verify --pass-options="dojo-tile{grid=4,1 fold=2}" | FileCheck %s
// With grid rows of two cores (A multicast by one sender), each B loader
// multicasts its first slice only once its own core has A slice 0 (and
// gives that count back to thread 0); with edge-routes=balanced the
// loaders load from the nearer of the N and S edges (edge_mask 5), off the
// mesh rows whose cores load their A slices:
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{grid=7,2 fold=2},dojo-place,dojo-allocate-sram,dojo-schedule),convert-dojo-to-isa)" | FileCheck %s --check-prefix=WAITA
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose,dojo-tile{grid=7,2 fold=2},dojo-place,dojo-allocate-sram,dojo-schedule),convert-dojo-to-isa{edge-routes=nearest})" | FileCheck %s --check-prefix=NEAREST
// WAITA: dojoisa.li r2, value = 5
// WAITA-NEXT: dojoisa.csrw r2, csr = 9
// WAITA-NEXT: dojoisa.li r2, value = 0
// WAITA-NEXT: dojoisa.bne r3, r2
// WAITA-NEXT: dojoisa.li r9, value = 0
// WAITA: dojoisa.sem.wait sem = 5, count = 1
// NEAREST-NOT: csrw
// WAITA-NEXT: dojoisa.sem.wait sem = 2, count = 1
// WAITA-NEXT: dojoisa.sem.signal r1, sem = 2, count = 1
// WAITA-NEXT: dojoisa.dma.mcast {{.*}} sem = 3, height = 4, width = 4
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{grid=10,1 fold=4}" | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-tile{grid=7,2 fold=2}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=cross},dojo-tile{grid=38,3 fold=3}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=150,2 fold=9}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=300,1 fold=19},dojo-schedule{senders=1}" | FileCheck %s
// RUN: dojo-run %s --target="d1 disabled=3:5,3:6,10:0" --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=100,3 fold=6},dojo-schedule{senders=2}" | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// dojo-tile picks a folded grid by itself for a tall, narrow matmul on d1
// (and the packed placement for it):
// RUN: dojo-run %S/Inputs/tall-narrow.mlir --target=d1 --verify | FileCheck %s --check-prefix=AUTO
// AUTO: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// AUTO: cores used: {{3[0-4][0-9]}} / 354
// RUN: dojo-run %S/Inputs/fold-then-multicast.mlir --target=d1 --verify | FileCheck %s
//
// A broadcast B has as many loaders (up to four) as 64 KiB of its slices
// take: their first slices reach every core's eject link together, ahead
// of the cores' A. 6272 x 1024 x 128 folded on d1 streams 8 slices of 128
// x 128 (32 KB): two loaders; bit-exact.
// RUN: dojo-opt %S/Inputs/broadcast-loaders.mlir --dojo-pipeline=target=d1 --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=LOADERS
// LOADERS: dojo.kernel grid [161, 2]
// LOADERS-SAME: dojo.b_broadcast
// LOADERS-SAME: dojo.senders = array<i64: 1, 2>
// LOADERS-SAME: fold = 9
// RUN: dojo-run %S/Inputs/broadcast-loaders.mlir --target=d1 --verify | FileCheck %s
func.func @main(%a: tensor<300x200xbf16>, %b: tensor<200x70xbf16>,
                %c: tensor<300x37xbf16>) -> (tensor<300x70xbf16>, tensor<300x37xbf16>) {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x70xbf16> -> tensor<300x70xbf16>
  %1 = dojo.relu %0 : tensor<300x70xbf16>
  %2 = dojo.slice %1 offsets [0, 0] sizes [300, 37] strides [1, 1] : tensor<300x70xbf16> -> tensor<300x37xbf16>
  %3 = dojo.add %2, %c : tensor<300x37xbf16>, tensor<300x37xbf16> -> tensor<300x37xbf16>
  return %1, %3 : tensor<300x70xbf16>, tensor<300x37xbf16>
}
