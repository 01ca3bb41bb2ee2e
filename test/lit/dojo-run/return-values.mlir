// Returned values that are not a kernel's own buffer: an argument through a
// reshape, the same value twice, an argument as is. Each is copied into its
// result buffer after a barrier at the end of the program.
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify | FileCheck %s
// RUN: dojo-run %s --target=small --verify | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
func.func @f(%x: tensor<3x5xbf16>, %y: tensor<3x5xbf16>) -> (tensor<15xbf16>, tensor<3x5xbf16>, tensor<3x5xbf16>, tensor<3x5xbf16>) {
  %r = dojo.reshape %x : tensor<3x5xbf16> -> tensor<15xbf16>
  %a = dojo.add %x, %y : tensor<3x5xbf16>, tensor<3x5xbf16> -> tensor<3x5xbf16>
  return %r, %a, %a, %y : tensor<15xbf16>, tensor<3x5xbf16>, tensor<3x5xbf16>, tensor<3x5xbf16>
}
