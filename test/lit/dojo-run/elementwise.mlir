// Every elementwise op the vector unit lowers, on odd shapes (13 x 37, not
// multiples of 8), as a fused matmul epilogue and on its own, compared bit
// for bit with the reference interpreter on one core, the 2x2 and 4x4
// meshes, and d1. exp keeps the inputs of log, sqrt, rsqrt and reciprocal
// positive.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA-DAG: dojoisa.vsub
// ISA-DAG: dojoisa.vmul
// ISA-DAG: dojoisa.vdiv
// ISA-DAG: dojoisa.vmax
// ISA-DAG: dojoisa.vmin
// ISA-DAG: dojoisa.vexp
// ISA-DAG: dojoisa.vlog
// ISA-DAG: dojoisa.vtanh
// ISA-DAG: dojoisa.vsqrt
// ISA-DAG: dojoisa.vrecip
// ISA-DAG: dojoisa.verf
// ISA-DAG: dojoisa.vneg
// ISA-DAG: dojoisa.vfill
func.func @ew(%x: tensor<13x24xbf16>, %w: tensor<24x37xbf16>, %b: tensor<37xbf16>,
              %y: tensor<13x37xbf16>, %z: tensor<1x37xf32>, %v: tensor<1x1xf32>) -> (tensor<13x37xbf16>, tensor<13x37xbf16>, tensor<1x37xf32>, tensor<1x1xf32>) {
  // Fused epilogue: matmul, then a chain of binary and unary ops.
  %m = dojo.matmul %x, %w : tensor<13x24xbf16>, tensor<24x37xbf16> -> tensor<13x37xbf16>
  %0 = dojo.sub %m, %b : tensor<13x37xbf16>, tensor<37xbf16> -> tensor<13x37xbf16>
  %1 = dojo.mul %b, %0 : tensor<37xbf16>, tensor<13x37xbf16> -> tensor<13x37xbf16>
  %2 = dojo.max %1, %y : tensor<13x37xbf16>, tensor<13x37xbf16> -> tensor<13x37xbf16>
  %3 = dojo.sigmoid %2 : tensor<13x37xbf16>
  %4 = dojo.tanh %3 : tensor<13x37xbf16>
  // On its own: exp, log, sqrt, rsqrt, reciprocal, erf, div, min.
  %e = dojo.exp %y : tensor<13x37xbf16>
  %l = dojo.log %e : tensor<13x37xbf16>
  %s = dojo.sqrt %e : tensor<13x37xbf16>
  %r = dojo.rsqrt %e : tensor<13x37xbf16>
  %q = dojo.reciprocal %s : tensor<13x37xbf16>
  %d = dojo.div %l, %e : tensor<13x37xbf16>, tensor<13x37xbf16> -> tensor<13x37xbf16>
  %n = dojo.min %d, %r : tensor<13x37xbf16>, tensor<13x37xbf16> -> tensor<13x37xbf16>
  %f = dojo.erf %n : tensor<13x37xbf16>
  %o = dojo.add %f, %q : tensor<13x37xbf16>, tensor<13x37xbf16> -> tensor<13x37xbf16>
  // Size-1 rows and a 1x1 tensor in FP32.
  %zs = dojo.sigmoid %z : tensor<1x37xf32>
  %vs = dojo.rsqrt %v : tensor<1x1xf32>
  return %4, %o, %zs, %vs : tensor<13x37xbf16>, tensor<13x37xbf16>, tensor<1x37xf32>, tensor<1x1xf32>
}
