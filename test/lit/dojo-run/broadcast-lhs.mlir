// A broadcast first operand of a non-commutative op (`s - x`, `r / x`,
// `c / x`, as `1 - x`, `1 / x` and `mean / x` export): the vector unit
// broadcasts only its second operand, so `convert-dojo-to-isa` runs the op
// row by row with the broadcast row first (a loop of 1-row instructions),
// a per-row first operand runs so on the transposed tensor, and a scalar is
// expanded to a row first. An outer broadcast (a column against a row)
// makes the row full first, as ones * row. A rank-0 scalar of a tensor op
// is a one-element row. Rank 0 to 3, odd sizes, FP32 and BF16, one core up
// to d1; bit-exact.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-opt %s --dojo-decompose | FileCheck %s --check-prefix=IR
// RUN: dojo-opt %s --dojo-pipeline=target=tiny | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact

// IR-LABEL: func.func @f
// The per-row first operand of a div stays first on the transposed tensor.
// IR: dojo.div {{.*}} : tensor<21xbf16>, tensor<37x21xbf16> -> tensor<37x21xbf16>
// The outer broadcast: the row made full.
// IR: %[[ONES:.*]] = arith.constant dense<1.000000e+00> : tensor<10x9xf32>
// IR: dojo.mul %[[ONES]], {{.*}} : tensor<10x9xf32>, tensor<9xf32> -> tensor<10x9xf32>

// A row-first div: one 1-row vdiv per row, the broadcast row first.
// ISA: dojoisa.li r22, value = 4
// ISA-NEXT: dojoisa.vdiv r20, r{{[0-9]+}}, r21, rows = 1, cols = 64, ldd = 64, lda = 64, ldb = 64
// ISA-NEXT: dojoisa.addi r20, r20, imm = 128
// ISA-NEXT: dojoisa.addi r21, r21, imm = 128
// ISA-NEXT: dojoisa.addi r22, r22, imm = -1
// ISA-NEXT: dojoisa.bne r22, r0, target = {{[0-9]+}}
func.func @f(%x: tensor<16x64xbf16>, %r: tensor<64xbf16>,
             %y: tensor<3x7x37xbf16>, %c: tensor<3x7x1xbf16>,
             %s: tensor<f32>, %z: tensor<5x11xf32>,
             %col: tensor<2x5x1xf32>, %row: tensor<9xf32>,
             %v: tensor<13xbf16>, %t: tensor<1xbf16>, %u: tensor<7xf32>)
    -> (tensor<16x64xbf16>, tensor<3x7x37xbf16>, tensor<5x11xf32>,
        tensor<5x11xf32>, tensor<2x5x9xf32>, tensor<2x5x9xf32>,
        tensor<13xbf16>, tensor<16x64xbf16>, tensor<5x11xf32>, tensor<7xf32>) {
  %0 = dojo.div %r, %x : tensor<64xbf16>, tensor<16x64xbf16> -> tensor<16x64xbf16>
  %1 = dojo.div %c, %y : tensor<3x7x1xbf16>, tensor<3x7x37xbf16> -> tensor<3x7x37xbf16>
  %2 = dojo.sub %s, %z : tensor<f32>, tensor<5x11xf32> -> tensor<5x11xf32>
  %3 = dojo.div %s, %z : tensor<f32>, tensor<5x11xf32> -> tensor<5x11xf32>
  %4 = dojo.sub %row, %col : tensor<9xf32>, tensor<2x5x1xf32> -> tensor<2x5x9xf32>
  %5 = dojo.div %col, %row : tensor<2x5x1xf32>, tensor<9xf32> -> tensor<2x5x9xf32>
  %6 = dojo.div %t, %v : tensor<1xbf16>, tensor<13xbf16> -> tensor<13xbf16>
  %7 = dojo.sub %r, %x : tensor<64xbf16>, tensor<16x64xbf16> -> tensor<16x64xbf16>
  %8 = dojo.sub %z, %s : tensor<5x11xf32>, tensor<f32> -> tensor<5x11xf32>
  %9 = dojo.add %s, %u : tensor<f32>, tensor<7xf32> -> tensor<7xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<16x64xbf16>, tensor<3x7x37xbf16>,
      tensor<5x11xf32>, tensor<5x11xf32>, tensor<2x5x9xf32>, tensor<2x5x9xf32>,
      tensor<13xbf16>, tensor<16x64xbf16>, tensor<5x11xf32>, tensor<7xf32>
}
