// Embedding lookup (dojo.gather) as function-level data movement: each core
// stages its indices in SRAM, clamps them to the table (negative -> row 0,
// past the end -> the last row, as the reference does) and copies the rows.
// i32 and i64 indices (held as int32), bf16 and f32 tables, odd sizes, one
// core up to the d1 mesh. Bit-exact against the reference.
// RUN: /usr/bin/python3 -c "import numpy as np; np.save('%t.i.npy', np.array([[0, 36, 37, -5, 12, 7, 1], [99, 2, 3, 4, 5, 6, 35], [-1, 8, 9, 10, 11, 13, 14], [15, 16, 17, 18, 19, 20, 21], [22, 23, 24, 25, 26, 27, 2147483647]], dtype=np.int32))"
// RUN: /usr/bin/python3 -c "import numpy as np; np.save('%t.j.npy', np.array([9, -2147483648, 4], dtype=np.int64))"
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify --input arg1=%t.i.npy --input arg3=%t.j.npy | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --input arg1=%t.i.npy --input arg3=%t.j.npy | FileCheck %s
// RUN: dojo-run %s --target=small --verify --input arg1=%t.i.npy --input arg3=%t.j.npy | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --input arg1=%t.i.npy --input arg3=%t.j.npy | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 7 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%t: tensor<37x13xbf16>, %i: tensor<5x7xi32>, %u: tensor<10x64xf32>, %j: tensor<3xi64>) -> (tensor<5x7x13xbf16>, tensor<3x64xf32>) {
  %0 = dojo.gather %t[%i] : tensor<37x13xbf16>, tensor<5x7xi32> -> tensor<5x7x13xbf16>
  %1 = dojo.gather %u[%j] : tensor<10x64xf32>, tensor<3xi64> -> tensor<3x64xf32>
  return %0, %1 : tensor<5x7x13xbf16>, tensor<3x64xf32>
}
