// placement=packed: every mesh row gets its own first enabled cores (d1:
// 18 rows x 19 = 342 cores, the disabled ones skipped row by row), A is
// multicast along whole mesh rows, every core loads its own B slices.
// Bit-exact against the reference; the program lists 342 cores.
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-set-target{placement=packed},dojo-tile{grid=18,19}" | FileCheck %s
// RUN: dojo-run %S/../../../examples/mlp.mlir --target=d1 --verify --pass-options="dojo-set-target{placement=packed}" | FileCheck %s
// RUN: dojo-opt %s "--dojo-pipeline=target=d1 placement=packed" | FileCheck %s --check-prefix=ISA
// RUN: not dojo-opt %s "--dojo-pipeline=target=d1 placement=diagonal" 2>&1 | FileCheck %s --check-prefix=ERR
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: cores used: 342 / 354
// Row 0 skips its disabled core (0, 19): 19 cores from (0, 0) to (0, 18).
// ISA: dojoisa.core 0, 18 section 0
// ISA-NEXT: dojoisa.core 1, 0 section 0
// Row 4 skips (4, 7): its 19 cores run to (4, 19).
// ISA: dojoisa.core 4, 6 section 0
// ISA-NEXT: dojoisa.core 4, 8 section 0
// The A sender multicasts along the whole mesh row.
// ISA: dojoisa.dma.mcast {{.*}}width = 20
// ERR: invalid placement 'diagonal': expected auto, packed or cross
func.func @f(%a: tensor<300x200xbf16>, %b: tensor<200x247xbf16>) -> tensor<300x247xf32> {
  %0 = dojo.matmul %a, %b : tensor<300x200xbf16>, tensor<200x247xbf16> -> tensor<300x247xf32>
  return %0 : tensor<300x247xf32>
}
