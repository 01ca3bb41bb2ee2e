// An FFN block big enough for `auto` to pick the packed placement on d1
// (tiles of at least 64 rows and 32 columns on 18 x 19 cores): bias, GELU
// and the residual fused into the matmuls, odd sizes, bit-exact against the
// reference on 342 cores. On small (no disabled cores) auto stays cross.
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=d1 | FileCheck %s --check-prefix=ISA
// RUN: dojo-run %s --target=small --verify | FileCheck %s --check-prefix=SMALL
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// CHECK: cores used: 342 / 354
// ISA: dojoisa.core 17, 18 section 0
// SMALL: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// SMALL: cores used: 16 / 16
func.func @ffn(%x: tensor<1160x776xbf16>, %w: tensor<776x1544xbf16>, %b: tensor<1544xbf16>, %w2: tensor<1544x776xbf16>) -> tensor<1160x776xbf16> {
  %0 = dojo.matmul %x, %w : tensor<1160x776xbf16>, tensor<776x1544xbf16> -> tensor<1160x1544xbf16>
  %1 = dojo.add %0, %b : tensor<1160x1544xbf16>, tensor<1544xbf16> -> tensor<1160x1544xbf16>
  %2 = dojo.gelu %1 approximate tanh : tensor<1160x1544xbf16>
  %3 = dojo.matmul %2, %w2 : tensor<1160x1544xbf16>, tensor<1544x776xbf16> -> tensor<1160x776xbf16>
  %4 = dojo.add %3, %x : tensor<1160x776xbf16>, tensor<1160x776xbf16> -> tensor<1160x776xbf16>
  return %4 : tensor<1160x776xbf16>
}
