// On a packed placement a K of 128 or more is streamed in at least 4
// slices (2 by the general rule for K = 128): the first slice, which every
// core waits for, is then a quarter of the blocks (measured on d1, the
// ResNet-50 conv3 1x1 128 -> 512 at batch 8: 9085 -> 8064 cycles). On the
// cross placement K = 128 stays at 2 slices.
// RUN: dojo-opt %s --dojo-pipeline=target=d1 --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s
// RUN: dojo-opt %s "--dojo-pipeline=target=d1 placement=cross" --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=CROSS
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s --check-prefix=SIM
// CHECK: dojo.kernel grid [161, 2] {{.*}}dojo.packed_placement{{.*}}k_chunks = 4 : i64
// CROSS: dojo.kernel grid [16, 16] {{.*}}k_chunks = 2 : i64
// SIM: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @conv3_expand(%x: tensor<6272x128xbf16>, %w: tensor<128x512xbf16>) -> tensor<6272x512xbf16> {
  %0 = dojo.matmul %x, %w : tensor<6272x128xbf16>, tensor<128x512xbf16> -> tensor<6272x512xbf16>
  return %0 : tensor<6272x512xbf16>
}
