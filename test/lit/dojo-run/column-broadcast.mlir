// Per-row operands ([..., R, 1] against [..., R, N], as ONNX exports of
// layer norm produce): the op runs on the transposed tensor, where the
// column is a row broadcast; `col - x` becomes `(x * -1) + col`; max/min
// swap. Rank 2 and 3, odd sizes, one core up to d1; bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-decompose | FileCheck %s --check-prefix=IR
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// IR-LABEL: func.func @f
// IR: dojo.transpose {{.*}} perm [1, 0] : tensor<21x37xbf16> -> tensor<37x21xbf16>
// IR: dojo.sub {{.*}} : tensor<37x21xbf16>, tensor<21xbf16> -> tensor<37x21xbf16>
func.func @f(%x: tensor<3x7x37xbf16>, %c: tensor<3x7x1xbf16>, %y: tensor<5x9xf32>, %d: tensor<5x1xf32>)
    -> (tensor<3x7x37xbf16>, tensor<3x7x37xbf16>, tensor<5x9xf32>, tensor<5x9xf32>, tensor<5x9xf32>) {
  %0 = dojo.sub %x, %c : tensor<3x7x37xbf16>, tensor<3x7x1xbf16> -> tensor<3x7x37xbf16>
  %1 = dojo.sub %c, %x : tensor<3x7x1xbf16>, tensor<3x7x37xbf16> -> tensor<3x7x37xbf16>
  %2 = dojo.div %y, %d : tensor<5x9xf32>, tensor<5x1xf32> -> tensor<5x9xf32>
  %3 = dojo.max %d, %y : tensor<5x1xf32>, tensor<5x9xf32> -> tensor<5x9xf32>
  %4 = dojo.mul %y, %d : tensor<5x9xf32>, tensor<5x1xf32> -> tensor<5x9xf32>
  return %0, %1, %2, %3, %4 : tensor<3x7x37xbf16>, tensor<3x7x37xbf16>, tensor<5x9xf32>, tensor<5x9xf32>, tensor<5x9xf32>
}
