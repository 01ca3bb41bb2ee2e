// GELU (tanh form) as the reference's FP32 sequence, fused into a matmul
// epilogue and alone, and casts between FP32 and BF16 (one rounding, nearest
// even); bit-exact on one core, small and d1. The erf form is in
// gelu-erf.mlir, casts to and from CFP8 in cast-cfp8.mlir.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 11 | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%x: tensor<19x40xbf16>, %w: tensor<40x33xbf16>, %y: tensor<5x17xf32>)
    -> (tensor<19x33xbf16>, tensor<5x17xbf16>, tensor<5x17xf32>) {
  %m = dojo.matmul %x, %w : tensor<19x40xbf16>, tensor<40x33xbf16> -> tensor<19x33xbf16>
  %g = dojo.gelu %m approximate tanh : tensor<19x33xbf16>
  %c = dojo.cast %y : tensor<5x17xf32> -> tensor<5x17xbf16>
  %h = dojo.gelu %y approximate tanh : tensor<5x17xf32>
  return %g, %c, %h : tensor<19x33xbf16>, tensor<5x17xbf16>, tensor<5x17xf32>
}
