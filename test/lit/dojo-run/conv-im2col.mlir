// A convolution that dojo-decompose lowers by im2col (a stride, or a
// padded image too large for a window product) multiplies the channel
// concat of strided windows of its padded image. dojo-tile folds that
// concat into the kernel (KernelOp `im2col = [Hp, Wp, OH, OW, SH, SW, dy,
// dx, ...]`): input 0 is the padded image itself, and the cores (or the A
// senders, K slice by K slice) load each slice's rows window row by window
// row from it, so no im2col copy precedes the kernel.
// RUN: dojo-opt %s --dojo-set-target=target=d1 --dojo-decompose --dojo-tile | FileCheck %s --check-prefix=FOLD
// FOLD-LABEL: func.func @main
// FOLD: dojo.pad
// FOLD-NOT: dojo.concat
// FOLD: dojo.kernel {{.*}}ins(%{{.*}}, %{{.*}} : tensor<98x64xbf16>, tensor<576x24xbf16>)
// FOLD-SAME: im2col = array<i64: 7, 7, 3, 3, 2, 2, 0, 0, 0, 1, 0, 2, 1, 0, 1, 1, 1, 2, 2, 0, 2, 1, 2, 2>
// FOLD: dojo.matmul {{.*}} : tensor<{{[0-9]+}}x576xbf16>
// With fold-im2col=false the concat stays:
// RUN: dojo-opt %s --dojo-set-target=target=d1 --dojo-decompose --dojo-tile=fold-im2col=false | FileCheck %s --check-prefix=NOFOLD
// NOFOLD: dojo.concat
// NOFOLD-NOT: im2col
//
// Bit-exact against the reference, one core to the whole d1 mesh, with
// and without the fold:
// RUN: dojo-run %s --target="tiny rows=1 cols=1" --verify | FileCheck %s
// RUN: dojo-run %s --target=tiny --verify --seed 1 | FileCheck %s
// RUN: dojo-run %s --target=small --verify --seed 2 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --seed 3 | FileCheck %s
// RUN: dojo-run %s --target=d1 --verify --pass-options="dojo-tile{fold-im2col=false}" | FileCheck %s
// RUN: dojo-run %S/Inputs/conv-im2col-dilated.mlir --target=small --verify | FileCheck %s
// RUN: dojo-run %S/Inputs/conv-im2col-dilated.mlir --target=d1 --verify | FileCheck %s
// CHECK: verdict: PASS (max abs err 0, max rel err 0), bit-exact
//
// An image whose pixels are shorter than a NoC packet (3 channels: every
// tap of a pixel would be a load of its own) keeps the copy:
// RUN: dojo-opt %S/Inputs/conv-im2col-narrow.mlir --dojo-set-target=target=d1 --dojo-decompose --dojo-tile | FileCheck %s --check-prefix=NARROW
// NARROW: dojo.concat
// NARROW-NOT: im2col
func.func @main(%x: tensor<2x5x5x64xbf16>, %w: tensor<3x3x64x24xbf16>) -> tensor<2x3x3x24xbf16> {
  %y = dojo.conv2d %x, %w layout nhwc {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x5x5x64xbf16>, tensor<3x3x64x24xbf16> -> tensor<2x3x3x24xbf16>
  return %y : tensor<2x3x3x24xbf16>
}
