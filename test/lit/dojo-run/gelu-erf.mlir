// GELU, erf form (the default): the reference's FP32 sequence
// a = x * 0.70710677; t = 1 + erf(a); (0.5 * x) * t with erf on the vector
// unit (verf, num::erfF32 in both), fused into a matmul epilogue and alone,
// on BF16 and FP32, on the wide range of 1/y, on odd shapes, a size-1 and
// a rank-3 tensor; bit-exact on one core, tiny, small and d1.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 7 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 13 | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA: dojoisa.vmul {{.*}}ldb = 0, dtd = 0
// ISA-NEXT: dojoisa.li
// ISA-NEXT: dojoisa.li
// ISA-NEXT: dojoisa.verf {{.*}}dtd = 0, dta = 0
// ISA-NEXT: dojoisa.li
// ISA-NEXT: dojoisa.li
// ISA-NEXT: dojoisa.li
// ISA-NEXT: dojoisa.vadd {{.*}}ldb = 0, dtd = 0, dta = 0, dtb = 0
func.func @f(%x: tensor<19x40xbf16>, %w: tensor<40x33xbf16>, %y: tensor<5x17xf32>,
             %z: tensor<1xf32>, %u: tensor<9x1xbf16>, %n: tensor<3x5x7xf32>)
    -> (tensor<19x33xbf16>, tensor<5x17xf32>, tensor<5x17xbf16>, tensor<1xf32>,
        tensor<9x1xbf16>, tensor<3x5x7xf32>) {
  %m = dojo.matmul %x, %w : tensor<19x40xbf16>, tensor<40x33xbf16> -> tensor<19x33xbf16>
  %g = dojo.gelu %m : tensor<19x33xbf16>
  %h = dojo.gelu %y approximate none : tensor<5x17xf32>
  %r = dojo.reciprocal %y : tensor<5x17xf32>
  %rb = dojo.cast %r : tensor<5x17xf32> -> tensor<5x17xbf16>
  %k = dojo.gelu %rb : tensor<5x17xbf16>
  %s = dojo.gelu %z : tensor<1xf32>
  %v = dojo.gelu %u : tensor<9x1xbf16>
  %o = dojo.gelu %n : tensor<3x5x7xf32>
  return %g, %h, %k, %s, %v, %o : tensor<19x33xbf16>, tensor<5x17xf32>,
      tensor<5x17xbf16>, tensor<1xf32>, tensor<9x1xbf16>, tensor<3x5x7xf32>
}
