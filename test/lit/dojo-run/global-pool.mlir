// NHWC global average pooling (dojo-decompose: one batched transpose and
// one row-wise mean), odd sizes, bit-exact against the reference from one
// core to the d1 mesh.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// With a target, one batched transpose and one row-wise mean:
// RUN: dojo-opt %s "--pass-pipeline=builtin.module(dojo-set-target{target=small},func.func(dojo-decompose))" | FileCheck %s --check-prefix=DEC
// DEC: dojo.transpose {{.*}} perm [0, 2, 1] : tensor<3x35x12xbf16> -> tensor<3x12x35xbf16>
// DEC-NOT: dojo.transpose
// DEC: dojo.reduce_mean {{.*}} axes [1] : tensor<36x35xbf16> -> tensor<36xbf16>
// DEC-NOT: dojo.concat
func.func @gap(%x: tensor<3x5x7x12xbf16>) -> tensor<3x1x1x12xbf16> {
  %0 = dojo.global_avg_pool2d %x layout nhwc : tensor<3x5x7x12xbf16> -> tensor<3x1x1x12xbf16>
  return %0 : tensor<3x1x1x12xbf16>
}
