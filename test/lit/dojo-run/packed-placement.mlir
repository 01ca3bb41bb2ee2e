// placement=packed: every mesh row gets its own first enabled cores (d1:
// 18 rows x 19 = 342 cores, the disabled ones skipped row by row; a row
// without a hole in its span skips the columns of the last row above that
// had one, so rows form bands). A is multicast along mesh rows; B is loaded
// by the top core of each straight segment of a grid column and multicast
// down the segment. Bit-exact against the reference.
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=18,19}" | FileCheck %s
// RUN: dojo-run %S/../../../examples/mlp.mlir --target=d1 --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: cores used: 342 / 354
// 16 columns: row 14's hole (14,16) is outside its span, so row 14 starts
// no band of its own and must not take row 11's band (which would reach
// column 16).
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=18,16}" | FileCheck %s --check-prefix=W16
// W16: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// W16: cores used: 288 / 354
// A grid narrower than the placement: rows whose span holds their hole
// (4,7) multicast A over one more column than the others.
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=9,10}" | FileCheck %s --check-prefix=NARROW
// NARROW: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// NARROW: cores used: 90 / 354
// Two holes in one row, and a hole in column 0.
// RUN: dojo-run %s --target="d1 disabled=3:5,3:6,10:0" --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s --check-prefix=TWO
// TWO: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// RUN: dojo-opt %s "--dojo-pipeline=target=d1 placement=packed" | FileCheck %s --check-prefix=ISA
// RUN: not dojo-opt %s "--dojo-pipeline=target=d1 placement=diagonal" 2>&1 | FileCheck %s --check-prefix=ERR
// Row 0 skips its disabled core (0, 19): 19 cores from (0, 0) to (0, 18).
// ISA: dojoisa.core 0, 18 section 0
// ISA-NEXT: dojoisa.core 1, 0 section 0
// Row 4 skips (4, 7): its 19 cores run to (4, 19); row 5 is in its band.
// ISA: dojoisa.core 4, 6 section 0
// ISA-NEXT: dojoisa.core 4, 8 section 0
// ISA: dojoisa.core 5, 6 section 0
// ISA-NEXT: dojoisa.core 5, 8 section 0
// The A sender multicasts along the mesh row; B segments: grid columns 0
// and 1 run straight through all 18 rows, the others break at the bands.
// ISA: dojoisa.dma.mcast {{.*}}height = 1, width = 20
// ISA: dojoisa.dma.mcast {{.*}}sem = 3, height = 18, width = 1
// ISA: dojoisa.dma.mcast {{.*}}sem = 3, height = 4, width = 1
// ERR: invalid placement 'diagonal': expected auto, packed or cross
func.func @f(%a: tensor<300x200xbf16>, %b: tensor<200x247xbf16>) -> tensor<300x247xf32> {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x247xbf16> -> tensor<300x247xf32>
  return %0 : tensor<300x247xf32>
}
