// Reshapes are free: their result aliases the input's edge memory (the
// row-major bytes are the same), so no code is emitted for them. A reshaped
// argument feeds a kernel, a kernel result is reshaped between kernels (the
// barrier still separates them) and the returned value is a reshape.
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// RUN: dojo-opt %s --dojo-pipeline=target=small | FileCheck %s --check-prefix=ISA
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
// ISA: dojoisa.symbol "arg0" input bf16 [4, 8, 16] at 0
// ISA: dojoisa.symbol "result0" output bf16 [4, 16, 12] at {{[0-9]+}}
// ISA: dojoisa.barrier
func.func @f(%x: tensor<4x8x16xbf16>, %w: tensor<16x24xbf16>, %v: tensor<12x12xbf16>) -> tensor<4x16x12xbf16> {
  %x2 = dojo.reshape %x : tensor<4x8x16xbf16> -> tensor<32x16xbf16>
  %h = dojo.matmul %x2, %w : tensor<32x16xbf16>, tensor<16x24xbf16> -> tensor<32x24xbf16>
  %r = dojo.relu %h : tensor<32x24xbf16>
  %h2 = dojo.reshape %r : tensor<32x24xbf16> -> tensor<64x12xbf16>
  %e = dojo.exp %h2 : tensor<64x12xbf16>
  %y = dojo.matmul %e, %v : tensor<64x12xbf16>, tensor<12x12xbf16> -> tensor<64x12xbf16>
  %y3 = dojo.reshape %y : tensor<64x12xbf16> -> tensor<4x16x12xbf16>
  return %y3 : tensor<4x16x12xbf16>
}
