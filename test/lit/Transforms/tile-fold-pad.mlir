// dojo-tile folds the zero pad of a window product's A into the product's
// kernel (pad_input): 1 image of 5 x 30 pixels, 4 channels, padded to
// 7 x 32 with one more zero image (what dojo-decompose makes of a 3x3
// convolution); the kernel reads the [150, 4] image itself, and so does
// the one of a 5 x 6 image (its cores load runs of pixels, a few loads per
// image row, whatever the width). fold-pad=false or a nonzero pad value
// keeps the pad.
// RUN: dojo-opt %s --dojo-tile | FileCheck %s
// RUN: dojo-opt %s --dojo-tile=fold-pad=false | FileCheck %s --check-prefix=OFF
// CHECK-LABEL: func.func @wide
// CHECK-NOT: dojo.pad
// CHECK: %[[R:.*]] = dojo.reshape %arg0 : tensor<1x5x30x4xbf16> -> tensor<150x4xbf16>
// CHECK: dojo.kernel {{.*}} ins(%[[R]], %{{.*}} : tensor<150x4xbf16>, tensor<36x8xbf16>) attributes {{{.*}}pad_input = array<i64: 2, 7, 32, 5, 30, 1, 1>}
// CHECK-LABEL: func.func @narrow
// CHECK-NOT: dojo.pad
// CHECK: dojo.kernel {{.*}}pad_input = array<i64: 2, 7, 8, 5, 6, 1, 1>}
// CHECK-LABEL: func.func @ones
// CHECK: dojo.pad
// CHECK-NOT: pad_input
// OFF-LABEL: func.func @wide
// OFF: dojo.pad
// OFF-NOT: pad_input
//
// Bit-exact on the simulator (@wide alone in an input file: dojo-run takes
// one function), one core to d1, with the A tile multicast in row chunks
// (each sender loads its chunk's pixels and zeros its padding) or loaded
// whole on every core (multicast off), and without the fold. The kernel as
// input runs pad_input in the reference interpreter too.
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target="tiny rows=1 cols=1" --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target=small --verify | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target=d1 --verify --seed 5 | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target=small --verify --pass-options="dojo-schedule{multicast=false}" | FileCheck %s --check-prefix=SIM
// Grid rows of one core load their own chunks:
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target=small --verify --pass-options="dojo-tile{grid=4,1}" | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/fold-pad-window.mlir --target=small --verify --pass-options="dojo-tile{fold-pad=false}" | FileCheck %s --check-prefix=SIM
// RUN: dojo-run %S/../dojo-run/Inputs/pad-input-kernel.mlir --verify | FileCheck %s --check-prefix=SIM
// SIM: verdict: PASS (max abs err 0, max rel err 0), bit-exact
module attributes {dojo.target = #dojo.target<small>} {
func.func @wide(%x: tensor<1x5x30x4xbf16>, %w: tensor<36x8xbf16>) -> tensor<224x8xf32> {
  %p = dojo.pad %x low [0, 1, 1, 0] high [1, 1, 1, 0] value 0.0 : tensor<1x5x30x4xbf16> -> tensor<2x7x32x4xbf16>
  %f = dojo.reshape %p : tensor<2x7x32x4xbf16> -> tensor<448x4xbf16>
  %0 = dojo.matmul %f, %w {window = array<i64: 0, 1, 2, 32, 33, 34, 64, 65, 66>} : tensor<448x4xbf16>, tensor<36x8xbf16> -> tensor<224x8xf32>
  return %0 : tensor<224x8xf32>
}
func.func @narrow(%x: tensor<1x5x6x4xbf16>, %w: tensor<36x8xbf16>) -> tensor<56x8xf32> {
  %p = dojo.pad %x low [0, 1, 1, 0] high [1, 1, 1, 0] value 0.0 : tensor<1x5x6x4xbf16> -> tensor<2x7x8x4xbf16>
  %f = dojo.reshape %p : tensor<2x7x8x4xbf16> -> tensor<112x4xbf16>
  %0 = dojo.matmul %f, %w {window = array<i64: 0, 1, 2, 8, 9, 10, 16, 17, 18>} : tensor<112x4xbf16>, tensor<36x8xbf16> -> tensor<56x8xf32>
  return %0 : tensor<56x8xf32>
}
func.func @ones(%x: tensor<1x5x30x4xbf16>, %w: tensor<36x8xbf16>) -> tensor<224x8xf32> {
  %p = dojo.pad %x low [0, 1, 1, 0] high [1, 1, 1, 0] value 1.0 : tensor<1x5x30x4xbf16> -> tensor<2x7x32x4xbf16>
  %f = dojo.reshape %p : tensor<2x7x32x4xbf16> -> tensor<448x4xbf16>
  %0 = dojo.matmul %f, %w {window = array<i64: 0, 1, 2, 32, 33, 34, 64, 65, 66>} : tensor<448x4xbf16>, tensor<36x8xbf16> -> tensor<224x8xf32>
  return %0 : tensor<224x8xf32>
}
}
