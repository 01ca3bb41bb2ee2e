// The vector unit broadcasts only its second operand: a division whose
// row-broadcast operand comes first is a located error, not a wrong result.
// RUN: not dojo-opt %s --dojo-pipeline=target=tiny 2>&1 | FileCheck %s
// CHECK: broadcast-lhs.mlir:8:8: error: 'dojo.div' op needs its first operand of the result shape (the vector unit broadcasts only the second)
func.func @f(%b: tensor<64xbf16>, %x: tensor<16x64xbf16>) -> tensor<16x64xbf16> {
  // A comment line so the op is on line 8.

  %0 = dojo.div %b, %x : tensor<64xbf16>, tensor<16x64xbf16> -> tensor<16x64xbf16>
  return %0 : tensor<16x64xbf16>
}
