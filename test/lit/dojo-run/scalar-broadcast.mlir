// A one-element operand broadcast to a whole tensor: expanded into a row on
// each core (a bitwise vsel), then used as a row broadcast, both in a fused
// matmul epilogue and on its own; bit-exact on one core, small and d1.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 9 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA: dojoisa.vsel {{.*}} rows = {{[0-9]+}}, cols = 1, ldd = 1, ldm = 1, lda = 1, ldb = 0
func.func @f(%q: tensor<45x24xbf16>, %k: tensor<24x45xbf16>, %s: tensor<1xbf16>,
             %y: tensor<7x30xf32>, %t: tensor<1x1xf32>) -> (tensor<45x45xbf16>, tensor<7x30xf32>) {
  %m = dojo.matmul %q, %k : tensor<45x24xbf16>, tensor<24x45xbf16> -> tensor<45x45xbf16>
  %0 = dojo.mul %m, %s : tensor<45x45xbf16>, tensor<1xbf16> -> tensor<45x45xbf16>
  %1 = dojo.sub %y, %t : tensor<7x30xf32>, tensor<1x1xf32> -> tensor<7x30xf32>
  %2 = dojo.max %t, %1 : tensor<1x1xf32>, tensor<7x30xf32> -> tensor<7x30xf32>
  return %0, %2 : tensor<45x45xbf16>, tensor<7x30xf32>
}
