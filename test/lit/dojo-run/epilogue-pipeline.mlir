// Pipelined epilogues (dojo-schedule marks matmul kernels with an epilogue
// whose buffers dojo-allocate-sram kept apart: dojo.epilogue_chunks): the
// second half of the K slices runs row chunk by row chunk and a fourth
// thread rounds, runs the epilogue on and stores each finished chunk.
// Cases: a widening cast after a BF16 result (element sizes differ between
// the matmul's result and the kernel's), a scalar and a row broadcast, a
// full-tile residual, ragged tiles (203 rows, 97 columns), 1-D and 2-D
// (multicast) grids; bit-exact against the reference, and the same with the
// pipelining switched off.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 5 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --mode=functional | FileCheck %s
// RUN: dojo-run %s --target=small --verify --pass-options="dojo-schedule{pipeline-epilogue=false}" | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small --mlir-print-ir-after=dojo-schedule -o /dev/null 2>&1 | FileCheck %s --check-prefix=SCHED
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// SCHED: dojo.kernel {{.*}}dojo.epilogue_chunks = 6 : i64, dojo.matmul_live
// ISA: dojoisa.tspawn thread = 3
// ISA: dojoisa.sem.signal r1, sem = {{[0-9]+}}, count = 1
func.func @f(%a: tensor<203x147xbf16>, %b: tensor<147x97xbf16>, %bias: tensor<97xbf16>,
             %r: tensor<203x97xf32>, %w: tensor<147x64xbf16>)
    -> (tensor<203x97xf32>, tensor<203x64xf32>) {
  %s = arith.constant dense<0.5> : tensor<1xbf16>
  %0 = dojo.matmul %a, %b : tensor<203x147xbf16>, tensor<147x97xbf16> -> tensor<203x97xbf16>
  %1 = dojo.add %0, %bias : tensor<203x97xbf16>, tensor<97xbf16> -> tensor<203x97xbf16>
  %2 = dojo.mul %1, %s : tensor<203x97xbf16>, tensor<1xbf16> -> tensor<203x97xbf16>
  %3 = dojo.cast %2 : tensor<203x97xbf16> -> tensor<203x97xf32>
  %4 = dojo.add %3, %r : tensor<203x97xf32>, tensor<203x97xf32> -> tensor<203x97xf32>
  %5 = dojo.matmul %a, %w : tensor<203x147xbf16>, tensor<147x64xbf16> -> tensor<203x64xbf16>
  %6 = dojo.cast %5 : tensor<203x64xbf16> -> tensor<203x64xf32>
  return %4, %6 : tensor<203x97xf32>, tensor<203x64xf32>
}
