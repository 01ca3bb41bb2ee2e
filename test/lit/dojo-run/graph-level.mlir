// dojo-run accepts graph-level dojo IR as well as linalg. Arguments with a
// dojo.name attribute become input symbols of that name.

// RUN: dojo-run %s --target=tiny --verify 2>&1 | FileCheck %s
// CHECK: note: no --input for lhs, rhs, bias; using pseudo-random values in [-1, 1] (seed 0)
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: MAC utilization: {{.*}} (8192 MACs)

func.func @layer(%a: tensor<16x32xbf16> {dojo.name = "lhs"},
                 %b: tensor<32x16xbf16> {dojo.name = "rhs"},
                 %c: tensor<16xf32> {dojo.name = "bias"}) -> tensor<16x16xf32> {
  %0 = dojo.matmul %a, %b : tensor<16x32xbf16>, tensor<32x16xbf16> -> tensor<16x16xf32>
  %1 = dojo.add %0, %c : tensor<16x16xf32>, tensor<16xf32> -> tensor<16x16xf32>
  %2 = dojo.relu %1 : tensor<16x16xf32>
  return %2 : tensor<16x16xf32>
}
