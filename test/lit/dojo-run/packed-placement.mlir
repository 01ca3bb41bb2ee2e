// placement=packed: every mesh row gets its own first enabled cores (d1:
// 18 rows x 19 = 342 cores). Two ways to fill a row's disabled cores
// (dojo-set-target's `holes`):
// * shift: a row skips its disabled core and the grid columns after it
//   move over; a row without a hole in its span skips the columns of the
//   last row above that had one, so rows form bands. B is loaded by the
//   core nearest the mesh edge of each straight segment of a grid column
//   and multicast down the segment.
// * spare (what `auto` picks here): grid column j sits in mesh column j
//   unless that core is disabled; the row's cores past the grid take over
//   its disabled cores' grid columns, so grid columns run straight but
//   for their holes' rows.
// A is multicast along mesh rows (over the grid row's first to last mesh
// column). Bit-exact against the reference either way.
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=18,19}" | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=shift},dojo-tile{grid=18,19}" | FileCheck %s
// RUN: dojo-run %S/../../../examples/mlp.mlir --target=d1 --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s
// RUN: dojo-run %S/../../../examples/mlp.mlir --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=shift}" | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: cores used: 342 / 354
// 16 columns: row 14's hole (14,16) is outside its span, so row 14 starts
// no band of its own and must not take row 11's band (which would reach
// column 16); with spares, no row has a hole in columns 0..15 but rows 4,
// 8 and 11.
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=shift},dojo-tile{grid=18,16}" | FileCheck %s --check-prefix=W16
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=spare},dojo-tile{grid=18,16}" | FileCheck %s --check-prefix=W16
// W16: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// W16: cores used: 288 / 354
// A grid narrower than the mesh: rows whose span holds their hole (4,7)
// multicast A over one more column than the others (the placement is as
// wide as the grid, so spares sit right after it).
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=shift},dojo-tile{grid=9,10}" | FileCheck %s --check-prefix=NARROW
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=spare},dojo-tile{grid=9,10}" | FileCheck %s --check-prefix=NARROW
// NARROW: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// NARROW: cores used: 90 / 354
// Two holes in one row, and a hole in column 0 (its spare is the row's
// first core past the grid).
// RUN: dojo-run %s --target="d1 disabled=3:5,3:6,10:0" --verify --pass-options="dojo-set-target{placement=packed holes=shift}" | FileCheck %s --check-prefix=TWO
// RUN: dojo-run %s --target="d1 disabled=3:5,3:6,10:0" --verify --pass-options="dojo-set-target{placement=packed holes=spare},dojo-tile{grid=18,18}" | FileCheck %s --check-prefix=TWO
// TWO: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// RUN: dojo-opt %s "--dojo-pipeline=target=d1 placement=packed holes=shift" | FileCheck %s --check-prefix=ISA
// RUN: dojo-opt %s "--dojo-pipeline=target=d1 placement=packed" | FileCheck %s --check-prefix=SPARE
// RUN: not dojo-opt %s "--dojo-pipeline=target=d1 placement=diagonal" 2>&1 | FileCheck %s --check-prefix=ERR
// RUN: not dojo-opt %s "--dojo-pipeline=target=d1 placement=packed holes=fill" 2>&1 | FileCheck %s --check-prefix=ERR-HOLES
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
// Spares: row 4's grid column 7 runs on (4, 19), and row 5 is not shifted.
// SPARE: dojoisa.core 4, 6 section 0
// SPARE-NEXT: dojoisa.core 4, 19 section 0
// SPARE-NEXT: dojoisa.core 4, 8 section 0
// SPARE: dojoisa.core 5, 6 section 0
// SPARE-NEXT: dojoisa.core 5, 7 section 0
// Grid column 7's B: rows 0-3, row 4 (its own loader) and rows 5-17.
// SPARE-DAG: dojoisa.dma.mcast {{.*}}sem = 3, height = 4, width = 1
// SPARE-DAG: dojoisa.dma.mcast {{.*}}sem = 3, height = 13, width = 1
// A kernel narrower than the placement would multicast a grid row with a
// spare over cores of the program outside its grid (row 4: 0..6, 19,
// 8..13, across 14..18): dojo-place keeps the bands for such a function.
// RUN: dojo-opt %S/Inputs/packed-two-widths.mlir "--dojo-pipeline=target=d1 placement=packed holes=spare" | FileCheck %s --check-prefix=TWO-WIDTHS
// RUN: dojo-run %S/Inputs/packed-two-widths.mlir --target=d1 --verify --pass-options="dojo-set-target{placement=packed holes=spare}" | FileCheck %s
// RUN: dojo-opt %S/Inputs/packed-two-widths.mlir "--dojo-set-target=target=d1 placement=packed holes=spare" --dojo-decompose --dojo-tile --dojo-place | FileCheck %s --check-prefix=TWO-WIDTHS-IR
// TWO-WIDTHS-IR: func.func @f{{.*}}dojo.packed_holes = "shift"
// TWO-WIDTHS: dojoisa.core 4, 6 section 0
// TWO-WIDTHS-NEXT: dojoisa.core 4, 8 section 0
// Spares on a 5 x 5 mesh with a 4-wide grid: row 1's hole (1,1) would take
// (1,4), which is disabled too, so row 1 is left out; row 2's hole (2,0)
// is taken by (2,4).
// RUN: dojo-opt %s "--dojo-pipeline=target='small rows=5 cols=5 disabled=1:1,1:4,2:0' placement=packed holes=spare" | FileCheck %s --check-prefix=SPARE5
// RUN: dojo-run %s --target="small rows=5 cols=5 disabled=1:1,1:4,2:0" --verify --pass-options="dojo-set-target{placement=packed holes=spare}" | FileCheck %s --check-prefix=TWO
// SPARE5: dojoisa.core 0, 3 section 0
// SPARE5-NEXT: dojoisa.core 2, 4 section 0
// SPARE5-NEXT: dojoisa.core 2, 1 section 0
// SPARE5: dojoisa.core 4, 3 section 0
// SPARE5-NOT: dojoisa.core
// ERR: invalid placement 'diagonal': expected auto, packed or cross
// ERR-HOLES: invalid holes 'fill': expected auto, spare or shift
func.func @f(%a: tensor<300x200xbf16>, %b: tensor<200x247xbf16>) -> tensor<300x247xf32> {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x247xbf16> -> tensor<300x247xf32>
  return %0 : tensor<300x247xf32>
}
