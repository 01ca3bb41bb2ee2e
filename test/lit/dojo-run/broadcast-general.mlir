// Broadcasts that are neither full, scalar, row nor column (a middle axis,
// several axes, both operands) are materialized by concats of copies (read
// in place) before the op. Odd sizes, one core up to d1; bit-exact.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-decompose | FileCheck %s --check-prefix=IR
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// IR: dojo.concat {{.*}} axis 1 {{.*}} -> tensor<2x9x6x7xbf16>
func.func @f(%x: tensor<2x9x6x7xbf16>, %g: tensor<2x1x6x7xbf16>, %y: tensor<2x2x3x3xf32>, %s: tensor<2x1x1x3xf32>,
             %a: tensor<4x1x5xf32>, %b: tensor<1x3x5xf32>)
    -> (tensor<2x9x6x7xbf16>, tensor<2x2x3x3xf32>, tensor<4x3x5xf32>) {
  %0 = dojo.mul %x, %g : tensor<2x9x6x7xbf16>, tensor<2x1x6x7xbf16> -> tensor<2x9x6x7xbf16>
  %1 = dojo.sub %y, %s : tensor<2x2x3x3xf32>, tensor<2x1x1x3xf32> -> tensor<2x2x3x3xf32>
  %2 = dojo.add %a, %b : tensor<4x1x5xf32>, tensor<1x3x5xf32> -> tensor<4x3x5xf32>
  return %0, %1, %2 : tensor<2x9x6x7xbf16>, tensor<2x2x3x3xf32>, tensor<4x3x5xf32>
}
