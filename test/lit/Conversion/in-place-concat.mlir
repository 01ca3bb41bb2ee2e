// A concat whose pieces are contiguous in its result and each the only use
// of a kernel's result is built in place: the per-batch matmul kernels of a
// batch_matmul store straight into the concat's buffer, so no copy loop
// (which deals its items out with `remu r14`) is emitted. // On one core the batches cannot run side by side (no batched kernel).
// RUN: dojo-opt %s "--dojo-pipeline=target='tiny rows=1 cols=1'" | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-opt %s "--dojo-pipeline=target='tiny rows=1 cols=1'" --mlir-print-ir-after=dojo-decompose 2>&1 | FileCheck %s --check-prefix=GRAPH
// GRAPH: dojo.concat
// CHECK-LABEL: dojoisa.program
// SIM: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK-NOT: dojoisa.remu r14
// CHECK: dojoisa.halt
func.func @bmm(%a: tensor<3x5x12xbf16>, %b: tensor<3x12x7xbf16>) -> tensor<3x5x7xf32> {
  %0 = dojo.batch_matmul %a, %b : tensor<3x5x12xbf16>, tensor<3x12x7xbf16> -> tensor<3x5x7xf32>
  return %0 : tensor<3x5x7xf32>
}
